import { eventually, TestPipeline } from '@pg2ddb/testing';
import { runCli } from './cli-support';

// Issue 13, defect 16: a row whose change sits in the DLQ (the mapping refuses it) has no item, and
// `reconcile` left it out of its counts: "4 of 4 consistent" on a 5-row table, exit 0. Such a row
// is checked and not consistent: it shows in the verdict, the rate and the exit code.
const mapping = `
table: { name: Sensors, partitionKey: { name: PK, type: S } }
entities:
  - name: Reading
    source: { schema: public, table: readings }
    primaryKey: [id]
    columns: { id: integer, value: float8 }
    key: { pk: "READING#{id}" }
`;

describe('reconcile counts rows that exist only in the DLQ', () => {
  let pipeline: TestPipeline;
  let env: Record<string, string>;

  beforeAll(async () => {
    pipeline = await TestPipeline.start({
      mapping,
      // Row 3's value is beyond DynamoDB's number range: dead-lettered by the transformer.
      schemaSql: 'CREATE TABLE readings (id integer PRIMARY KEY, value float8); INSERT INTO readings VALUES (1, 1.5), (2, 2), (3, 1e200), (4, 4), (5, 5);',
    });
    env = { PG2DDB_TOPIC_PREFIX: pipeline.names.prefix };
    await eventually(async () => expect(await pipeline.items()).toHaveLength(4), { timeoutMs: 90_000 });
  }, 180_000);

  afterAll(async () => {
    await pipeline?.stop();
  });

  it.each(['full', 'sample'])('in the %s mode: 4 of 5 consistent, 1 only in the DLQ, findings exit code', (mode) => {
    const run = runCli(['reconcile', 'Reading', '--mode', mode, '--mapping', pipeline.mappingFile, '--confirm-timeout', '10'], env);
    expect(run.stdout).toContain('DIFFER: 4 of 5 consistent, 1 only in the DLQ');
    expect(run.stdout).toContain('consistency rate 80.00%');
    expect(run.stdout).toContain('drift: missing 0, unexpected 0, mismatch 0, in flight 0, dead-lettered 1');
    expect(run.status).not.toBe(0);
  });
});
