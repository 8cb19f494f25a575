import { writeFileSync } from 'node:fs';
import { eventually, TestPipeline } from '@pg2ddb/testing';
import { runCli } from './cli-support';

// docs/runbook.md, "Adding an entity", "Changing a key template" and "Schema changes", tried on the
// real stack with the commands the runbook gives: each ends with a full reconcile that finds
// nothing.
const base = (schema: string, table: string, extra: string) => `
version: 1
table: { name: ${table}, partitionKey: { name: PK, type: S }, sortKey: { name: SK, type: S } }
entities:
  - name: Customer
    source: { schema: ${schema}, table: customers }
    primaryKey: [id]
    columns: { id: integer, region: text, name: text }
${extra}`;

describe('runbook: mapping and schema changes', () => {
  let pipeline: TestPipeline;
  let env: Record<string, string>;
  const cli = (args: string[]) => runCli([...args, '--mapping', pipeline.mappingFile], env);
  const mapping = (extra: string) => base(pipeline.names.schema, pipeline.names.table, extra);
  const items = async (type: string) => (await pipeline.items()).filter((item) => (item._type as { S: string } | undefined)?.S === type);
  const reconcileClean = (entity: string) => {
    const run = cli(['reconcile', entity, '--mode', 'full', '--confirm-timeout', '15']);
    expect(run.stdout).toMatch(/rows and items match: (\d+) of \1 consistent/);
    expect(run.status).toBe(0);
  };
  /** The runbook's "deploy the new mapping": write it, connector apply, validate, restart the transformer on it. */
  const deploy = async (extra: string) => {
    writeFileSync(pipeline.mappingFile, mapping(extra));
    expect(cli(['connector', 'apply']).stdout).toMatch(/(updated|unchanged) and RUNNING/);
    const validated = cli(['validate']);
    if (validated.status !== 0) throw new Error(`validate failed:\n${validated.stdout}\n${validated.stderr}`);
    await pipeline.restartService('transformer');
  };

  beforeAll(async () => {
    pipeline = await TestPipeline.start({
      mapping: base('public', 'placeholder', '    key: { pk: "CUSTOMER#{id}", sk: PROFILE }\n'),
      schemaSql: `CREATE TABLE customers (id integer PRIMARY KEY, region text NOT NULL, name text NOT NULL);
                  INSERT INTO customers SELECT g, 'r' || (g % 3), 'name ' || g FROM generate_series(1, 30) g;
                  CREATE TABLE notes (id integer PRIMARY KEY, customer_id integer NOT NULL, body text NOT NULL);
                  INSERT INTO notes SELECT g, 1 + g % 30, 'note ' || g FROM generate_series(1, 20) g;`,
    });
    env = { PG2DDB_TOPIC_PREFIX: pipeline.names.prefix };
    await eventually(async () => expect(await items('Customer')).toHaveLength(30), { timeoutMs: 60_000 });
  }, 120_000);

  afterAll(async () => {
    await pipeline?.stop();
  });

  const NOTE = `  - name: Note
    source: { schema: SCHEMA, table: notes }
    primaryKey: [id]
    columns: { id: integer, customer_id: integer, body: text }
    key: { pk: "CUSTOMER#{customer_id}", sk: "NOTE#{id}" }
`;

  it('adds an entity: deploy the mapping, connector apply, snapshot the entity', async () => {
    const customerKey = '    key: { pk: "CUSTOMER#{id}", sk: PROFILE }\n';
    // validate asks for it: the new entity's key uses a column outside the primary key.
    await pipeline.query('ALTER TABLE notes REPLICA IDENTITY FULL');
    await deploy(customerKey + NOTE.replace('SCHEMA', pipeline.names.schema));
    const snapshot = cli(['snapshot', 'Note', '--timeout', '120']);
    expect(snapshot.status).toBe(0);
    await pipeline.query(`INSERT INTO notes VALUES (21, 5, 'streamed')`);
    await eventually(async () => expect(await items('Note')).toHaveLength(21), { timeoutMs: 60_000 });
    reconcileClean('Note');
  }, 240_000);

  it('changes a key template: deploy, snapshot the entity, reconcile --repair removes the items at the old keys', async () => {
    const notes = NOTE.replace('SCHEMA', pipeline.names.schema);
    // The new key uses region, outside the primary key: validate asks for the full old row.
    await pipeline.query('ALTER TABLE customers REPLICA IDENTITY FULL');
    await deploy('    key: { pk: "REGION#{region}", sk: "CUSTOMER#{id}" }\n' + notes);
    expect(cli(['snapshot', 'Customer', '--timeout', '120']).status).toBe(0);
    // Both shapes exist now: the snapshot wrote the new keys, the old ones are unexpected.
    await eventually(async () => expect((await items('Customer')).filter((item) => (item.PK as { S: string }).S.startsWith('REGION#'))).toHaveLength(30), { timeoutMs: 60_000 });
    const repair = cli(['reconcile', 'Customer', '--mode', 'full', '--repair', '--confirm-timeout', '15']);
    expect(repair.stdout).toContain('repaired: 0 re-put, 30 deleted');
    await eventually(async () => expect(await items('Customer')).toHaveLength(30), { timeoutMs: 60_000 });
    expect((await items('Customer')).every((item) => (item.PK as { S: string }).S.startsWith('REGION#'))).toBe(true);
    reconcileClean('Customer');
  }, 240_000);

  it('schema changes: ADD COLUMN (then mapped and back-filled), RENAME COLUMN of a mapped column, type change', async () => {
    const notes = NOTE.replace('SCHEMA', pipeline.names.schema);
    const key = '    key: { pk: "REGION#{region}", sk: "CUSTOMER#{id}" }\n';
    // ADD COLUMN: unmapped columns are not read; to map it, deploy the mapping, then back-fill.
    await pipeline.query(`ALTER TABLE customers ADD COLUMN tier text NOT NULL DEFAULT 'basic'`);
    await pipeline.query(`UPDATE customers SET name = 'still flowing' WHERE id = 2`);
    await eventually(async () => expect((await items('Customer')).find((item) => (item.SK as { S: string }).S === 'CUSTOMER#2')?.name).toEqual({ S: 'still flowing' }), { timeoutMs: 60_000 });
    writeFileSync(pipeline.mappingFile, mapping(key + notes).replace('columns: { id: integer, region: text, name: text }', 'columns: { id: integer, region: text, name: text, tier: text }'));
    await pipeline.restartService('transformer');
    expect(cli(['snapshot', 'Customer', '--timeout', '120']).status).toBe(0);
    await eventually(async () => expect((await items('Customer')).every((item) => (item.tier as { S: string } | undefined)?.S === 'basic')).toBe(true), { timeoutMs: 60_000 });
    reconcileClean('Customer');

    // RENAME COLUMN of a mapped column: map the new name to the old attribute name, deploy, rename.
    const renamed = mapping(key + notes)
      .replace('columns: { id: integer, region: text, name: text }', 'columns: { id: integer, region: text, full_name: text, tier: text }\n    attributes: { rename: { full_name: name } }');
    writeFileSync(pipeline.mappingFile, renamed);
    await pipeline.query('ALTER TABLE customers RENAME COLUMN name TO full_name');
    await pipeline.restartService('transformer');
    await pipeline.query(`UPDATE customers SET full_name = 'renamed' WHERE id = 7`);
    await eventually(async () => expect((await items('Customer')).find((item) => (item.SK as { S: string }).S === 'CUSTOMER#7')?.name).toEqual({ S: 'renamed' }), { timeoutMs: 60_000 });
    reconcileClean('Customer');

    // Type change: integer → bigint keeps the attribute a number; the next change carries it.
    await pipeline.query('ALTER TABLE notes ALTER COLUMN customer_id TYPE bigint');
    await pipeline.query(`UPDATE notes SET body = 'after type change' WHERE id = 3`);
    await eventually(async () => expect((await items('Note')).find((item) => (item.SK as { S: string }).S === 'NOTE#3')?.body).toEqual({ S: 'after type change' }), { timeoutMs: 60_000 });
    const letters = cli(['dlq', 'list']);
    expect(letters.status).toBe(0);
    reconcileClean('Note');
  }, 300_000);
});
