import { topicNames, type DeadLetter } from '@pg2ddb/contracts';
import { ConnectClient, connectorName, createKafka, readTopicRange } from '@pg2ddb/kafka';
import { eventually, TestPipeline } from '@pg2ddb/testing';
import { runCli } from './cli-support';

// Issue 13, defect 13: a row whose Debezium event exceeded 1 MB failed the connector task (its
// producer's max.request.size) and stopped the whole table. Every limit of the chain is now sized
// (connector producer, change/writes/DLQ topics, fetch sizes): the row reaches the transformer,
// is dead-lettered with its reason (DynamoDB's 400 KB), the table flows on, and `validate` says
// what happens to such a row.
const mapping = `
table: { name: Docs, partitionKey: { name: PK, type: S } }
entities:
  - name: Doc
    source: { schema: public, table: docs }
    primaryKey: [id]
    columns: { id: integer, body: text }
    key: { pk: "DOC#{id}" }
`;

const BIG = 1_500_000;

describe('one big row on the real stack', () => {
  let pipeline: TestPipeline;

  beforeAll(async () => {
    pipeline = await TestPipeline.start({
      mapping,
      schemaSql: `CREATE TABLE docs (id integer PRIMARY KEY, body text NOT NULL);
                  ALTER TABLE docs ALTER COLUMN body SET STORAGE EXTERNAL;
                  INSERT INTO docs VALUES (1, 'small');`,
    });
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  it('is dead-lettered with its size while the table keeps flowing', async () => {
    await eventually(async () => expect(await pipeline.item({ PK: { S: 'DOC#1' } })).toBeDefined(), { timeoutMs: 90_000 });
    await pipeline.query(`INSERT INTO docs VALUES (2, repeat('x', ${BIG}))`);
    await pipeline.query(`INSERT INTO docs VALUES (3, 'after the big one')`);

    await eventually(async () => expect(await pipeline.item({ PK: { S: 'DOC#3' } })).toMatchObject({ body: { S: 'after the big one' } }), { timeoutMs: 90_000 });
    expect(await pipeline.item({ PK: { S: 'DOC#2' } })).toBeUndefined();
    const status = await new ConnectClient(pipeline.connectUrl).status(connectorName(pipeline.names.prefix));
    expect(status?.tasks.map((task) => task.state)).toEqual(['RUNNING']);

    const kafka = createKafka({ brokers: pipeline.env.PG2DDB_KAFKA_BROKERS!.split(','), clientId: `${pipeline.names.id}-test` });
    const letters = await eventually(async () => {
      const { records } = await readTopicRange(kafka, topicNames(pipeline.names.prefix).dlq);
      expect(records).toHaveLength(1);
      return records.map((record) => JSON.parse(String(record.message.value)) as DeadLetter);
    }, { timeoutMs: 30_000 });
    const [letter] = letters as [DeadLetter];
    expect(letter).toMatchObject({ stage: 'transformer', code: 'TRANSFORMER_ITEM_TOO_LARGE', details: { entity: 'Doc', limitBytes: 409_600 } });
    expect(letter.message).toMatch(/^entity "Doc": the item would be 15000\d\d bytes, over DynamoDB's item size limit of 409600 bytes \(400 KB\)/);
    expect(letter.original.truncated?.valueBytes).toBeGreaterThan(BIG);
    expect(letter.original.truncated?.rest).toBe(`the whole message is at ${letter.original.topic}/0/${letter.original.offset} (topic/partition/offset) while that topic's retention keeps it`);
  });

  it('validate says what happens to such a row', () => {
    const env = { ...pipeline.env, PG2DDB_TOPIC_PREFIX: pipeline.names.prefix };
    const run = (extra: Record<string, string> = {}) => {
      const result = runCli(['validate', '--mapping', pipeline.mappingFile, '--date-min', '1900-01-01', '--json'], { ...env, ...extra });
      return (JSON.parse(result.stdout) as { findings: Array<{ check: string; severity: string; rows?: number; message: string }> }).findings;
    };
    const findings = run();
    expect(findings.find((f) => f.check === 'item-too-large')).toMatchObject({ severity: 'error', rows: 1 });
    expect(findings.find((f) => f.check === 'item-too-large')?.message).toMatch(/dead-lettered there \(TRANSFORMER_ITEM_TOO_LARGE, with its size\) while the rest of the table flows on/);
    expect(findings.filter((f) => f.check === 'event-too-large')).toEqual([]);

    const tight = run({ PG2DDB_MAX_EVENT_BYTES: String(1024 * 1024) }).filter((f) => f.check === 'event-too-large');
    expect(tight).toHaveLength(1);
    expect(tight[0]).toMatchObject({ severity: 'error', rows: 1 });
    expect(tight[0]?.message).toMatch(/the connector task would fail and stop the whole table's stream/);
  });
});
