import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { topicNames, type AttributeMap, type DeadLetter } from '@pg2ddb/contracts';
import { createKafka, readTopicRange } from '@pg2ddb/kafka';
import { eventually, TestPipeline } from '@pg2ddb/testing';
import { runCli } from './cli-support';

// PG2DDB_REDACT_VALUES=true: a row the mapping cannot key (region NULL) is dead-lettered without
// its values (PII must not spread to the DLQ), yet nothing is lost: the letter keeps the Kafka
// key, the column names and the coordinates, and `dlq replay` re-reads the original event from
// its change topic, so after the mapping is fixed the row lands with all its values.
const mapping = `
table: { name: Orders, partitionKey: { name: PK, type: S }, sortKey: { name: SK, type: S } }
entities:
  - name: Order
    source: { schema: public, table: orders }
    primaryKey: [id]
    columns: { id: integer, region: text, email: text, total: numeric }
    key: { pk: "REGION#{region}", sk: "ORDER#{id}" }
`;
const email = 'ada.lovelace@example.org';
const total = '98765.43';

describe('security: PG2DDB_REDACT_VALUES keeps row values out of dead letters and logs, and replay loses nothing', () => {
  let pipeline: TestPipeline;

  beforeAll(async () => {
    pipeline = await TestPipeline.start({
      mapping,
      schemaSql: `CREATE TABLE orders (id integer PRIMARY KEY, region text, email text, total numeric NOT NULL);
                  INSERT INTO orders VALUES (7, NULL, '${email}', ${total});`,
      serviceEnv: { transformer: { PG2DDB_REDACT_VALUES: 'true' } },
    });
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  it('dead-letters the poison row with its key and columns only, and replay re-delivers the original', async () => {
    const kafka = createKafka({ brokers: (pipeline.env.PG2DDB_KAFKA_BROKERS ?? '').split(','), clientId: `${pipeline.names.id}-read` });
    const changeTopic = `${pipeline.names.prefix}.${pipeline.names.schema}.orders`;
    const records = await eventually(async () => {
      const { records: found } = await readTopicRange(kafka, topicNames(pipeline.names.prefix).dlq);
      expect(found).toHaveLength(1);
      return found;
    }, { timeoutMs: 60_000 });
    const raw = String(records[0]?.message.value);
    expect(raw).not.toContain(email);
    expect(raw).not.toContain(total);
    const letter = JSON.parse(raw) as DeadLetter;
    expect(letter).toMatchObject({ stage: 'transformer', code: 'MAPPING_EMPTY_KEY', original: { topic: changeTopic, redacted: { valueBytes: expect.any(Number) } } });
    expect(JSON.parse(letter.original.key ?? 'null')).toMatchObject({ payload: { id: 7 } });
    const after = (JSON.parse(letter.original.value ?? 'null') as { payload: { after: Record<string, unknown> } }).payload.after;
    expect(after).toEqual({ id: '[redacted]', region: null, email: '[redacted]', total: '[redacted]' });
    expect(letter.original.redacted?.rest).toContain(`${changeTopic}/${letter.original.partition}/${letter.original.offset}`);
    expect(readFileSync(join(pipeline.workDir, 'transformer.log'), 'utf8')).toContain('MAPPING_EMPTY_KEY');
    expect(readFileSync(join(pipeline.workDir, 'transformer.log'), 'utf8')).not.toContain(email);

    // The fix: key by id alone. The replay sends the original (re-read by its coordinates), not the redacted copy.
    const definition = JSON.parse(readFileSync(pipeline.mappingFile, 'utf8')) as { entities: Array<{ key: { pk: string } }> };
    (definition.entities[0] as { key: { pk: string } }).key.pk = 'ORDER#{id}';
    writeFileSync(pipeline.mappingFile, JSON.stringify(definition, null, 2));
    await pipeline.restartService('transformer');
    const replayed = runCli(['dlq', 'replay', '--mapping', pipeline.mappingFile], { ...pipeline.env, PG2DDB_TOPIC_PREFIX: pipeline.names.prefix });
    expect(replayed.stdout).toMatch(/re-submitted 1 dead letter\(s\) of 1 not replayed before/);
    expect(replayed.status).toBe(0);

    const key: AttributeMap = { PK: { S: 'ORDER#7' }, SK: { S: 'ORDER#7' } };
    await eventually(async () => expect(await pipeline.item(key)).toMatchObject({ email: { S: email }, total: { N: total } }), { timeoutMs: 60_000 });
  });
});
