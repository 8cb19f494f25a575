import { topicNames, type DeadLetter } from '@pg2ddb/contracts';
import { createKafka, readTopicRange } from '@pg2ddb/kafka';
import { eventually, TestPipeline } from '@pg2ddb/testing';
import { runCli } from './cli-support';

// Issue 13, defect 15: a double beyond DynamoDB's range dead-lettered the row (and every later
// change of it), validate did not predict it, and an excluded column was still read. Each column
// now says what happens (dead-letter by default, exact string, or NULL), an excluded column is not
// read, and validate finds such values.
const mapping = `
table: { name: Sensors, partitionKey: { name: PK, type: S } }
entities:
  - name: Reading
    source: { schema: public, table: readings }
    primaryKey: [id]
    columns:
      id: integer
      strict: float8
      exact: { type: float8, unrepresentable: string }
      dropped: { type: numeric, unrepresentable: "null" }
      secret: float8
    attributes: { exclude: [secret] }
    key: { pk: "READING#{id}" }
`;

describe('numbers DynamoDB cannot hold, on the real stack', () => {
  let pipeline: TestPipeline;

  beforeAll(async () => {
    pipeline = await TestPipeline.start({
      mapping,
      schemaSql: `CREATE TABLE readings (id integer PRIMARY KEY, strict float8, exact float8, dropped numeric, secret float8);
                  INSERT INTO readings VALUES (1, 1.5, 2.5, 3.5, 4.5), (2, 1, 1e200, 1e-140, 1), (3, 1e200, 1, 1, 1), (4, 1, 'NaN', 'NaN', 1e300);`,
    });
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  it('applies each column\'s rule; only the default dead-letters, and an excluded column is never read', async () => {
    await eventually(async () => expect(await pipeline.items()).toHaveLength(3), { timeoutMs: 90_000 });
    expect(await pipeline.item({ PK: { S: 'READING#1' } })).toMatchObject({ strict: { N: '1.5' }, exact: { N: '2.5' }, dropped: { N: '3.5' } });
    const two = await pipeline.item({ PK: { S: 'READING#2' } });
    expect(two).toMatchObject({ strict: { N: '1' }, exact: { S: '1e+200' } });
    expect(two).not.toHaveProperty('dropped');
    expect(two).not.toHaveProperty('secret');
    const four = await pipeline.item({ PK: { S: 'READING#4' } });
    expect(four).toMatchObject({ exact: { S: 'NaN' } });
    expect(four).not.toHaveProperty('dropped');
    expect(await pipeline.item({ PK: { S: 'READING#3' } })).toBeUndefined();

    const kafka = createKafka({ brokers: pipeline.env.PG2DDB_KAFKA_BROKERS!.split(','), clientId: `${pipeline.names.id}-test` });
    const { records } = await readTopicRange(kafka, topicNames(pipeline.names.prefix).dlq);
    const letters = records.map((record) => JSON.parse(String(record.message.value)) as DeadLetter);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ code: 'MAPPING_NUMBER_OUT_OF_RANGE', details: { entity: 'Reading', column: 'strict' } });

    // A dropped excluded column does not fail later changes.
    await pipeline.query('ALTER TABLE readings DROP COLUMN secret');
    await pipeline.query('INSERT INTO readings VALUES (5, 5, 5, 5)');
    await eventually(async () => expect(await pipeline.item({ PK: { S: 'READING#5' } })).toMatchObject({ strict: { N: '5' } }), { timeoutMs: 60_000 });
  });

  it('validate finds such values and says what happens to them', () => {
    const env = { ...pipeline.env, PG2DDB_TOPIC_PREFIX: pipeline.names.prefix };
    const result = runCli(['validate', '--mapping', pipeline.mappingFile, '--date-min', '1900-01-01', '--json'], env);
    const findings = (JSON.parse(result.stdout) as { findings: Array<{ check: string; severity: string; column?: string; rows?: number; message: string }> }).findings
      .filter((f) => f.check === 'number-out-of-range')
      .sort((a, b) => String(a.column).localeCompare(String(b.column)));
    expect(findings.map(({ column, severity, rows }) => ({ column, severity, rows }))).toEqual([
      { column: 'dropped', severity: 'warning', rows: 2 },
      { column: 'exact', severity: 'warning', rows: 2 },
      { column: 'strict', severity: 'error', rows: 1 },
    ]);
    expect(findings[0]?.message).toMatch(/stored as NULL \(the column says unrepresentable: null\)$/);
    expect(findings[1]?.message).toMatch(/stored as their exact text/);
    expect(findings[2]?.message).toMatch(/each such row is dead-lettered, never rounded/);
  });
});
