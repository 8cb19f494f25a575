import { TestPipeline } from '@pg2ddb/testing';
import { runCli } from './cli-support';

// `pg2ddb connector ...` against the shared Kafka Connect worker: only this test's connector is
// paused, stopped, restarted and deleted; the worker itself is never touched.
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

describe('pg2ddb connector', () => {
  let pipeline: TestPipeline;
  let env: Record<string, string>;
  const connector = (action: string, extra: string[] = [], more: Record<string, string> = {}) =>
    runCli(['connector', action, '--mapping', pipeline.mappingFile, ...extra], { ...env, ...more });

  beforeAll(async () => {
    pipeline = await TestPipeline.start({ mapping, schemaSql: 'CREATE TABLE things (id integer PRIMARY KEY);', services: [] });
    env = { PG2DDB_TOPIC_PREFIX: pipeline.names.prefix };
  }, 120000);

  afterAll(async () => {
    await pipeline?.stop();
  });

  it('applies idempotently: the config the harness registered is the one the cli renders', () => {
    const apply = connector('apply');
    expect(apply.status).toBe(0);
    expect(apply.stdout).toContain(`connector pg2ddb-${pipeline.names.prefix} unchanged and RUNNING`);
    expect(apply.stdout).toContain(`signal table ${pipeline.names.schema}.pg2ddb_signal_${pipeline.names.prefix}`);
    const again = connector('apply', ['--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ action: 'apply', outcome: 'unchanged', state: 'RUNNING', exitCode: 0 });
  }, 120000);

  it('pauses, resumes, stops and restarts the connector, and status exits 1 unless RUNNING', () => {
    expect(JSON.parse(connector('status', ['--json']).stdout)).toMatchObject({ state: 'RUNNING', tasks: [{ id: 0, state: 'RUNNING' }], exitCode: 0 });
    expect(connector('pause').stdout).toContain('PAUSED');
    expect(connector('pause').status).toBe(0); // already paused: confirmed, not an error
    const paused = connector('status');
    expect(paused.status).toBe(1);
    expect(paused.stdout).toContain(`connector pg2ddb-${pipeline.names.prefix}: PAUSED; tasks: 0=PAUSED`);
    expect(connector('resume').stdout).toContain('RUNNING');
    expect(connector('status').status).toBe(0);
    expect(connector('stop').stdout).toContain('STOPPED');
    expect(connector('status').stdout).toContain(': STOPPED; tasks: none');
    expect(connector('resume').status).toBe(0);
    expect(connector('restart').stdout).toContain('RUNNING');
    expect(connector('status').status).toBe(0);
  }, 180000);

  it('reports usage errors, an absent connector and an unreachable Connect with their exit codes', () => {
    const unknown = connector('explode');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('connector needs an action: apply, render, status, pause, resume, stop, restart, delete (got "explode")');
    expect(runCli(['connector', 'status'], env).status).toBe(2); // no --mapping
    const absent = connector('status', [], { PG2DDB_TOPIC_PREFIX: `${pipeline.names.prefix}x` });
    expect(absent.status).toBe(1);
    expect(absent.stdout).toContain(`connector pg2ddb-${pipeline.names.prefix}x does not exist`);
    const down = connector('status', [], { PG2DDB_CONNECT_URL: 'http://127.0.0.1:1' });
    expect(down.status).toBe(3);
    expect(down.stderr).toContain('Kafka Connect at http://127.0.0.1:1 is unreachable');
  }, 120000);

  it('deletes the connector and, with --drop-slot, its slot, publication, signal and heartbeat tables', async () => {
    const deleted = connector('delete', ['--drop-slot']);
    expect(deleted.status).toBe(0);
    expect(deleted.stdout).toContain(`connector pg2ddb-${pipeline.names.prefix} deleted`);
    expect(deleted.stdout).toContain(`replication slot pg2ddb_${pipeline.names.prefix} dropped`);
    expect(await pipeline.query(`SELECT 1 FROM pg_replication_slots WHERE slot_name = $1`, [`pg2ddb_${pipeline.names.prefix}`])).toEqual([]);
    expect(await pipeline.query(`SELECT to_regclass($1) AS t`, [`${pipeline.names.schema}.pg2ddb_signal_${pipeline.names.prefix}`])).toEqual([{ t: null }]);
    expect(await pipeline.query(`SELECT to_regclass($1) AS t`, [`${pipeline.names.schema}.pg2ddb_heartbeat_${pipeline.names.prefix}`])).toEqual([{ t: null }]);
    expect(connector('delete').stdout).toContain('did not exist');
  }, 120000);
});
