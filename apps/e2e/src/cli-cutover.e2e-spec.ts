import { spawnSync } from 'node:child_process';
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { itemSize } from '@pg2ddb/dynamo';
import { migratePg2ddbSchema } from '@pg2ddb/postgres';
import { eventually, pgConnection, TestPipeline } from '@pg2ddb/testing';
import { cliShellCommand, runCli, runCliAsync } from './cli-support';

// `pg2ddb cutover-check`, `status --watch` and `estimate` on a real pipeline. The drift is real
// (an item deleted behind the pipeline), found by the real reconciler (`pg2ddb reconcile --mode
// full`, which records its run in pg2ddb.reconciliation_runs), and repaired by an incremental
// snapshot of that one row (`pg2ddb snapshot --where`).
const mapping = `
version: 1
table: { name: placeholder, partitionKey: { name: PK, type: S } }
entities:
  - name: Item
    source: { table: items }
    primaryKey: [id]
    columns: { id: integer, label: text }
    key: { pk: "ITEM#{id}" }
`;

describe('pg2ddb cutover-check and status', () => {
  let pipeline: TestPipeline;
  let env: Record<string, string>;

  beforeAll(async () => {
    pipeline = await TestPipeline.start({
      mapping,
      schemaSql: `CREATE TABLE items (id integer PRIMARY KEY, label text NOT NULL); INSERT INTO items SELECT i, 'item ' || i FROM generate_series(1, 20) AS i;`,
    });
    env = { PG2DDB_TOPIC_PREFIX: pipeline.names.prefix };
    await eventually(async () => expect((await pipeline.items()).length).toBe(20), { timeoutMs: 60000, intervalMs: 500 });
    await migratePg2ddbSchema(pipeline.pg, pgConnection(pipeline.env));
  }, 180000);

  afterAll(async () => {
    await pipeline?.query(`DELETE FROM pg2ddb.reconciliation_runs WHERE topic_prefix = $1`, [pipeline.names.prefix]).catch(() => undefined);
    await pipeline?.stop();
  });

  const reconcileFull = () => runCli(['reconcile', 'Item', '--mode', 'full', '--mapping', pipeline.mappingFile, '--confirm-timeout', '10'], env);
  const check = () => {
    const run = runCli(['cutover-check', '--mapping', pipeline.mappingFile, '--json'], env);
    return { status: run.status, report: JSON.parse(run.stdout) as { go: boolean; reasons: string[] } };
  };

  it('says NO-GO while never reconciled or drifted, and GO once repaired and reconciled clean', async () => {
    const never = check();
    expect(never.status).toBe(1);
    expect(never.report.reasons).toEqual(['full reconciliation clean (Item): never fully reconciled (pg2ddb reconcile --mode full)']);

    await pipeline.dynamo.send(new DeleteItemCommand({ TableName: pipeline.names.table, Key: { PK: { S: 'ITEM#7' } } }));
    const found = reconcileFull();
    expect(found.status).toBe(1);
    const drifted = check();
    expect(drifted.status).toBe(1);
    expect(drifted.report.reasons).toEqual([
      'initial load complete (Item): 19 items / 20 rows',
      expect.stringMatching(/^full reconciliation clean \(Item\): run \w+ succeeded, 20 checked, missing 1, unexpected 0, mismatch 0, 0 min ago$/),
    ]);
    const human = runCli(['cutover-check', '--mapping', pipeline.mappingFile], env);
    // Piped: the verdict without its emoji (no emoji or colour off a terminal).
    expect(human.stdout).toContain('\nNO-GO: initial load complete (Item); full reconciliation clean (Item)');
    expect(human.stdout).not.toMatch(/[\u2705\u274c]/);

    const repair = runCli(['snapshot', 'Item', '--mapping', pipeline.mappingFile, '--where', 'id = 7', '--timeout', '60'], env);
    expect(repair.status).toBe(0);
    await eventually(async () => expect(await pipeline.item({ PK: { S: 'ITEM#7' } })).toBeDefined(), { timeoutMs: 30000 });
    expect(reconcileFull().status).toBe(0);
    await eventually(() => expect(check()).toEqual({ status: 0, report: expect.objectContaining({ go: true, reasons: [] }) }), { timeoutMs: 30000, intervalMs: 1000 });
  }, 240000);

  it('status shows the entity, lag, DLQ and the last reconciliation, and --watch redraws in place in a terminal', async () => {
    const once = runCli(['status', '--mapping', pipeline.mappingFile], env);
    expect(once.status).toBe(0);
    expect(once.stdout).toMatch(/Item\s+100\.0%\s+20 \/ 20\s+-\s+done\s+0\s+full succeeded 100\.00% \(missing 0, unexpected 0, mismatch 0\)/);
    expect(once.stdout).toMatch(/writer lag 0 {2}· {2}last applied event age \S+ {2}· {2}dead letters 0/);

    // Piped, --watch appends one plain block per refresh (no cursor movement).
    const piped = runCli(['status', '--mapping', pipeline.mappingFile, '--watch', '--interval', '1', '--count', '2'], env);
    expect(piped.status).toBe(0);
    expect(piped.stdout.split('\n').filter((line) => line.includes(`connector pg2ddb-${pipeline.names.prefix}:`))).toHaveLength(2);
    expect(piped.stdout).not.toContain('\x1b[');

    const session = `pg2ddb-${pipeline.names.id}`;
    const tmux = (...args: string[]) => spawnSync('tmux', args, { encoding: 'utf8' });
    const started = tmux('new-session', '-d', '-s', session, '-x', '220', '-y', '40', `env PG2DDB_TOPIC_PREFIX=${pipeline.names.prefix} ${cliShellCommand(['status', '--watch', '--interval', '1', '--mapping', pipeline.mappingFile])}`);
    expect(started.status).toBe(0);
    try {
      const stamps = new Set<string>();
      let screen = '';
      await eventually(
        () => {
          screen = tmux('capture-pane', '-p', '-t', session).stdout;
          const headers = screen.split('\n').filter((line) => line.includes(`connector pg2ddb-${pipeline.names.prefix}:`));
          // One screen, redrawn: never two headers (piped output would append a block per refresh).
          expect(headers).toHaveLength(1);
          stamps.add(/^\[([^\]]+)\]/.exec(headers[0] ?? '')?.[1] ?? '');
          expect(stamps.size).toBeGreaterThanOrEqual(3);
        },
        { timeoutMs: 60000, intervalMs: 700 },
      );
      expect(screen).toMatch(/Item\s+\[#{20}\] 100\.0%\s+20 \/ 20/);
      process.stdout.write(`status --watch in tmux (after ${stamps.size} refreshes):\n${screen}\n`);
    } finally {
      tmux('kill-session', '-t', session);
    }
  }, 120000);

  it('estimate sizes items exactly as the mapping writes them and measures the change rate', async () => {
    await pipeline.query('ANALYZE items');
    const running = runCliAsync(['estimate', '--mapping', pipeline.mappingFile, '--window', '3', '--price-wru', '1', '--json'], env);
    // Changes all along the measuring window (the cli needs a moment to start): 10 updates/s.
    let done = false;
    const changes = (async () => {
      for (let i = 0; !done; i++) {
        await pipeline.query(`UPDATE items SET label = label WHERE id = $1`, [1 + (i % 20)]);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const run = await running;
    done = true;
    await changes;
    expect(run.stderr.replace(/\(node:\d+\) Warning: NodeVersionSupportWarning[\s\S]*?trace-warnings[^\n]*\n/, '')).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as {
      entities: Array<{ entity: string; rows: number; sampled: number; avgItemBytes: number; avgWcuPerWrite: number; changesPerSecond: number; loadWriteUnits: number }>;
      totals: { costs: Array<{ mode: string; initialLoad: number }> };
    };
    const items = (await pipeline.items()).map(({ _ver, ...rest }) => rest);
    const expectedAvg = items.reduce((sum, item) => sum + itemSize(item), 0) / items.length;
    const [entity] = report.entities;
    expect(entity).toMatchObject({ entity: 'Item', rows: 20, sampled: 20, avgWcuPerWrite: 1, loadWriteUnits: 20 });
    expect(entity?.avgItemBytes).toBeCloseTo(expectedAvg, 6);
    // About 10 updates/s (PostgreSQL flushes its activity counters about once a second).
    expect(entity?.changesPerSecond).toBeGreaterThan(3);
    expect(entity?.changesPerSecond).toBeLessThan(15);
    expect(report.totals.costs.find((c) => c.mode === 'on-demand')?.initialLoad).toBeCloseTo(20 / 1e6, 12);
    expect(runCli(['estimate', '--mapping', pipeline.mappingFile, '--price-wru', 'cheap'], env).status).toBe(2);
  }, 120000);
});
