import { pgConnection, TestPipeline } from '@pg2ddb/testing';
import { Client } from 'pg';
import { runCli } from './cli-support';

// Issue 13, defect 16: a logical slot is created only when every transaction open at that moment
// has ended. With one idle session holding a transaction, `connector apply` waited its whole
// timeout and said only `tasks: []`. It now names the backend whose transaction holds it.
const mapping = `
version: 1
table: { name: placeholder, partitionKey: { name: PK, type: S } }
entities:
  - name: Thing
    source: { table: things }
    primaryKey: [id]
    columns: { id: integer }
    key: { pk: "THING#{id}" }
`;

describe('pg2ddb connector apply while an open transaction blocks slot creation', () => {
  let pipeline: TestPipeline;
  let holder: Client | undefined;
  let env: Record<string, string>;
  const connector = (action: string, extra: string[] = []) => runCli(['connector', action, '--mapping', pipeline.mappingFile, ...extra], env);

  beforeAll(async () => {
    pipeline = await TestPipeline.start({ mapping, schemaSql: 'CREATE TABLE things (id integer PRIMARY KEY);', services: [] });
    // A second connector (another prefix: its own name, slot and offsets) is the one applied here.
    env = { PG2DDB_TOPIC_PREFIX: `${pipeline.names.prefix}b` };
  }, 120_000);

  afterAll(async () => {
    await holder?.end().catch(() => undefined);
    if (pipeline) connector('delete', ['--drop-slot']);
    await pipeline?.stop();
  });

  it('names the backend pid that holds the transaction, and applies once it ends', async () => {
    holder = new Client({ ...pgConnection(pipeline.env), application_name: 'forgotten-session' });
    await holder.connect();
    await holder.query('BEGIN');
    const { rows } = await holder.query<{ pid: number }>(`INSERT INTO ${pipeline.names.schema}.things VALUES (1) RETURNING pg_backend_pid() AS pid`);
    const pid = rows[0]!.pid;

    const blocked = connector('apply', ['--timeout', '15']);
    expect(blocked.status).not.toBe(0);
    expect(blocked.stderr).toContain(`creating replication slot pg2ddb_${pipeline.names.prefix}b waits for an open transaction to end: backend pid ${pid} (user `);
    expect(blocked.stderr).toContain('application forgotten-session');
    expect(blocked.stderr).toContain('idle in transaction');
    expect(blocked.stderr).toContain(`SELECT pg_terminate_backend(${pid})`);

    await holder.query('COMMIT');
    const applied = connector('apply', ['--timeout', '60']);
    expect(applied.stdout).toContain('and RUNNING');
    expect(applied.status).toBe(0);
  }, 180_000);
});
