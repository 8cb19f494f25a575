import { eventually, TestPipeline } from '@pg2ddb/testing';
import { runCli } from './cli-support';

// docs/runbook.md, "Replication slot lost (failover, dropped slot)", tried on the real stack: the
// slot vanishes while rows change, the connector cannot resume, and the documented commands bring
// DynamoDB back to exactly the rows PostgreSQL holds — a new snapshot, and its sweep removes the
// items of rows deleted while the slot was gone.
const mapping = `
version: 1
table: { name: placeholder, partitionKey: { name: PK, type: S } }
entities:
  - name: Thing
    source: { table: things }
    primaryKey: [id]
    columns: { id: integer, label: text }
    key: { pk: "THING#{id}" }
`;

describe('runbook: replication slot lost', () => {
  let pipeline: TestPipeline;
  let env: Record<string, string>;
  const cli = (args: string[], more: Record<string, string> = {}) => runCli([...args, '--mapping', pipeline.mappingFile], { ...env, ...more });

  beforeAll(async () => {
    pipeline = await TestPipeline.start({ mapping, schemaSql: "CREATE TABLE things (id integer PRIMARY KEY, label text); INSERT INTO things SELECT g, 'v1' FROM generate_series(1, 50) g;" });
    env = { PG2DDB_TOPIC_PREFIX: pipeline.names.prefix };
    await eventually(async () => expect(await pipeline.items()).toHaveLength(50), { timeoutMs: 60_000 });
  }, 120_000);

  afterAll(async () => {
    await pipeline?.stop();
  });

  it('recovers with connector delete, then apply with PG2DDB_SNAPSHOT_MODE=when_needed: nothing stale, nothing left behind', async () => {
    // The slot is lost (a failover to a replica without it, or someone dropped it) while rows change.
    expect(cli(['connector', 'stop']).status).toBe(0);
    await pipeline.query('SELECT pg_drop_replication_slot($1)', [`pg2ddb_${pipeline.names.prefix}`]);
    await pipeline.query("DELETE FROM things WHERE id <= 10; UPDATE things SET label = 'v2' WHERE id > 40; INSERT INTO things VALUES (51, 'new')");

    const resumed = cli(['connector', 'resume']);
    expect(resumed.status).not.toBe(0);
    expect(resumed.stderr + resumed.stdout).toMatch(/no longer available on the server|FAILED/);

    // The runbook: remove the failed connector (its offsets stay in Connect), apply it again with
    // snapshot mode when_needed: Debezium finds its position gone, creates the slot and snapshots.
    expect(cli(['connector', 'delete']).status).toBe(0);
    const applied = cli(['connector', 'apply'], { PG2DDB_SNAPSHOT_MODE: 'when_needed' });
    expect(applied.stdout).toContain('created and RUNNING');
    const rows = (await pipeline.query('SELECT id, label FROM things ORDER BY id')) as Array<{ id: number; label: string }>;
    await eventually(
      async () => {
        const items = (await pipeline.items()).map((item) => [(item.PK as { S: string }).S, (item.label as { S: string }).S]).sort();
        expect(items).toEqual(rows.map((row) => [`THING#${row.id}`, row.label]).sort());
      },
      { timeoutMs: 90_000, intervalMs: 2000 },
    );
    const check = cli(['reconcile', 'Thing', '--mode', 'full', '--confirm-timeout', '10']);
    expect(check.stdout).toContain('match: 41 of 41 consistent');
    expect(check.status).toBe(0);
  }, 240_000);
});
