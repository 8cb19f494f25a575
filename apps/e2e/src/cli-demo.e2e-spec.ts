import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { randomId } from '@pg2ddb/testing';
import { repoRoot } from '@pg2ddb/service';

// The main job (`npm run demo`) end to end: it brings the payments demo to "in sync" and reports
// counts that match PostgreSQL. It runs on the shared stack under its own topic prefix (its own
// connector, slot and consumer groups) and leaves the stack running for the other tests.
const root = repoRoot();
const cli = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, ['-r', '@swc-node/register', join(root, 'apps/cli/src/main.ts'), ...args], {
    cwd: root,
    env: { ...process.env, ...env } as Record<string, string>,
    encoding: 'utf8',
    timeout: 240000,
  });

describe('pg2ddb demo', () => {
  const env = { PG2DDB_TOPIC_PREFIX: randomId('demo'), PG2DDB_LOG_FORMAT: 'json' };

  afterAll(() => {
    cli(['connector', 'delete', '--drop-slot', '--mapping', 'examples/payments/mapping.yaml'], env);
  });

  it('reports the initial load complete with counts that match Postgres, then stops its services', () => {
    const run = cli(['demo', '--rows', '500', '--exit-when-in-sync', '--keep-stack', '--live-every', '0'], env);
    const output = `${run.stdout}${run.stderr}`;
    expect(run.status).toBe(0);
    const done = /initial load complete in \S+ — Payment: ([\d,]+) rows in PostgreSQL = ([\d,]+) items in DynamoDB/.exec(output);
    expect(done).not.toBeNull();
    const [rows, items] = [Number(done?.[1]?.replace(/,/g, '')), Number(done?.[2]?.replace(/,/g, ''))];
    expect(rows).toBeGreaterThanOrEqual(500);
    expect(items).toBe(rows);
    expect(output).toContain('stopping the services');
    expect(output).not.toContain('stopping the local stack');

    const status = cli(['status', '--mapping', 'examples/payments/mapping.yaml'], env);
    expect(status.status).toBe(0);
    expect(status.stdout).toContain(`connector pg2ddb-${env.PG2DDB_TOPIC_PREFIX}: RUNNING`);
    expect(status.stdout).toMatch(new RegExp(`Payment\\s+rows ${rows}\\s+items ${rows}\\s+\\(in sync\\)`));
  });
});
