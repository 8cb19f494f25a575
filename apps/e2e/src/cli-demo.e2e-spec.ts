import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { pgConnection, randomId, testTempDir } from '@pg2ddb/testing';
import { Client } from 'pg';
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

  // The stack's login is pg2ddb, and any earlier reconciler run leaves a schema of that name: with
  // the default search path ("$user", public) the demo's unqualified table names resolved to it
  // and the demo failed, depending on which tests ran first. Make that state certain here.
  beforeAll(async () => {
    const client = new Client(pgConnection(process.env as Record<string, string>));
    await client.connect();
    await client.query('CREATE SCHEMA IF NOT EXISTS pg2ddb');
    await client.end();
  });

  afterAll(() => {
    cli(['connector', 'delete', '--drop-slot', '--mapping', 'examples/payments/mapping.yaml'], env);
  });

  it('reports the initial load complete with counts that match Postgres, then stops its services', () => {
    const run = cli(['demo', '--rows', '500', '--exit-when-in-sync', '--keep-stack', '--live-every', '0'], env);
    const output = `${run.stdout}${run.stderr}`;
    // On failure, show what the demo printed: the exit code alone says nothing.
    if (run.status !== 0) throw new Error(`demo exited with ${run.status}:\n${output}`);
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
    const shown = rows.toLocaleString('en-US');
    expect(status.stdout).toMatch(new RegExp(`Payment\\s+100\\.0%\\s+${shown} / ${shown}\\s`));
  });

  it('resumes without loading anything, and rebuilds a lost table from the topics (the emulator keeps tables in memory)', async () => {
    const again = cli(['demo', '--rows', '500', '--exit-when-in-sync', '--keep-stack', '--live-every', '0'], env);
    const resumed = `${again.stdout}${again.stderr}`;
    if (again.status !== 0) throw new Error(`demo exited with ${again.status}:\n${resumed}`);
    expect(resumed).toContain('already holds');
    expect(resumed).toMatch(/already in sync, nothing to load — Payment: [\d,]+ rows in PostgreSQL = [\d,]+ items in DynamoDB/);
    expect(resumed).not.toContain('initial load complete');

    // What a restart of the in-memory emulator leaves: no table, and consumer offsets past every event.
    const client = new DynamoDBClient({ endpoint: process.env.PG2DDB_DYNAMO_ENDPOINT, region: process.env.AWS_REGION ?? 'us-east-1' });
    await client.send(new DeleteTableCommand({ TableName: 'Payments' }));
    await client.send(new DeleteTableCommand({ TableName: 'Payments.pg2ddb-tombstones' })).catch(() => undefined);
    client.destroy();
    const rebuilt = cli(['demo', '--rows', '500', '--exit-when-in-sync', '--keep-stack', '--live-every', '0'], env);
    const output = `${rebuilt.stdout}${rebuilt.stderr}`;
    if (rebuilt.status !== 0) throw new Error(`demo exited with ${rebuilt.status}:\n${output}`);
    expect(output).toContain('DynamoDB table Payments created');
    expect(output).toContain('the table is new but Kafka already holds its history: replaying');
    const done = /initial load complete in \S+ — Payment: ([\d,]+) rows in PostgreSQL = ([\d,]+) items in DynamoDB/.exec(output);
    expect(done).not.toBeNull();
    expect(Number(done?.[2]?.replace(/,/g, ''))).toBe(Number(done?.[1]?.replace(/,/g, '')));
  });
});

describe('pg2ddb validate and init', () => {
  const dir = testTempDir('cli-init');
  const table = `pg2ddb-${randomId('init')}`;
  const mappingFile = join(dir, 'mapping.yaml');
  writeFileSync(mappingFile, readFileSync(join(root, 'examples/ecommerce/mapping.yaml'), 'utf8').replace(/^  name: .*$/m, `  name: ${table}`));

  afterAll(async () => {
    const client = new DynamoDBClient({ endpoint: process.env.PG2DDB_DYNAMO_ENDPOINT, region: process.env.AWS_REGION ?? 'us-east-1' });
    await client.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
    await client.send(new DeleteTableCommand({ TableName: `${table}.pg2ddb-tombstones` })).catch(() => undefined);
    client.destroy();
  });

  it('validates a mapping and names the file, entity and field of a mistake', () => {
    const ok = cli(['validate', '--mapping-only', '--mapping', mappingFile], {});
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain(`${mappingFile}: OK`);
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, readFileSync(mappingFile, 'utf8').replace('"USER#{id}"', '"USER#{idd}"'));
    const bad = cli(['validate', '--mapping-only', '--mapping', broken], {});
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(new RegExp(`${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: entity "User": .*unknown column "idd"`));
  });

  it('creates the table with its GSIs and TTL once, then finds it matching', () => {
    const first = cli(['init', '--mapping', mappingFile], {});
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(`table ${table} created`);
    expect(first.stdout).toContain(`tombstone table ${table}.pg2ddb-tombstones ready`);
    const again = cli(['init', '--mapping', mappingFile], {});
    expect(again.stdout).toContain(`table ${table} already exists and matches the mapping`);
    const check = cli(['init', '--check', '--mapping', mappingFile], {});
    expect(check.status).toBe(0);
    expect(check.stdout).toContain(`table ${table} matches the mapping`);
  });

  it('reports every difference of an existing table that does not match', () => {
    const other = join(dir, 'other.yaml');
    writeFileSync(other, readFileSync(mappingFile, 'utf8').replace('- name: GSI3', '- name: GSI9').replace(/\bGSI3: \{ pk/, 'GSI9: { pk'));
    const check = cli(['init', '--check', '--mapping', other], {});
    expect(check.status).toBe(1);
    expect(check.stdout).toMatch(new RegExp(`table ${table}: .*GSI9`));
  });
});
