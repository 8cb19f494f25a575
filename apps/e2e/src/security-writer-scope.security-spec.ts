import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { topicNames, writeCommandKey, type AttributeMap, type DeadLetter, type WriteCommand } from '@pg2ddb/contracts';
import { ensureTable } from '@pg2ddb/dynamo';
import { consumerLag, createKafka, readTopicRange } from '@pg2ddb/kafka';
import { eventually, TestPipeline } from '@pg2ddb/testing';
import type { Kafka, Producer } from 'kafkajs';

// Someone who can produce to <prefix>.writes forges commands: one aimed at another DynamoDB table
// the writer's credentials reach, one with a version no source can produce (which would freeze the
// item: every real change would look older). The writer dead-letters both and writes the rest.
const examples = join(__dirname, '../../../examples/payments');
const version = (n: number): string => n.toString(16).padStart(16, '0') + '0'.repeat(16) + '1';
const key = (id: string): AttributeMap => ({ PK: { S: `CUSTOMER#${id}` }, SK: { S: 'PAYMENT#2024-01-01T00:00:00.000000Z#1' } });

describe('security: the writer writes only its mapping table, with versions a source can produce', () => {
  let pipeline: TestPipeline;
  let kafka: Kafka;
  let producer: Producer;
  let otherTable: string;

  const put = (table: string, id: string, ver: string, status: string): WriteCommand => ({
    v: 1, op: 'put', table, key: key(id), entity: 'Payment', version: ver,
    source: { topic: 'forged', partition: 0, offset: '0', schema: 'public', table: 'payments', lsn: null, txId: null, snapshot: false, committedAtMs: Date.now() },
    item: { ...key(id), PaymentStatus: { S: status }, _type: { S: 'Payment' } },
  });

  beforeAll(async () => {
    pipeline = await TestPipeline.start({
      mapping: readFileSync(join(examples, 'mapping.yaml'), 'utf8'),
      schemaSql: readFileSync(join(examples, 'schema.sql'), 'utf8'),
      services: ['writer'],
    });
    otherTable = `${pipeline.names.table}-other`;
    const { ttlAttribute: _ttl, ...spec } = pipeline.mapping.table;
    await ensureTable(pipeline.dynamo, { ...spec, name: otherTable });
    kafka = createKafka({ brokers: (pipeline.env.PG2DDB_KAFKA_BROKERS ?? '').split(','), clientId: `${pipeline.names.id}-forge` });
    producer = kafka.producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await pipeline?.dynamo.send(new DeleteTableCommand({ TableName: otherTable })).catch(() => undefined);
    await pipeline?.stop();
  });

  it('dead-letters WRITER_TABLE_NOT_ALLOWED and WRITER_VERSION_OUT_OF_RANGE, writes the rest, and the item stays writable', async () => {
    const { writes, dlq } = topicNames(pipeline.names.prefix);
    const elsewhere = put(otherTable, 'a', version(1), 'ELSEWHERE');
    const frozen = put(pipeline.names.table, 'b', 'f'.repeat(32) + '1', 'FROZEN');
    const fine = put(pipeline.names.table, 'c', version(1), 'FINE');
    await producer.send({ topic: writes, acks: -1, messages: [elsewhere, frozen, fine].map((c) => ({ key: writeCommandKey(c), value: JSON.stringify(c) })) });
    await eventually(async () => expect(await consumerLag(kafka, `${pipeline.names.prefix}.writer`, [writes])).toBe(0), { timeoutMs: 60_000 });

    expect(await pipeline.item(key('c'))).toMatchObject({ PaymentStatus: { S: 'FINE' } });
    expect(await pipeline.item(key('b'))).toBeUndefined();
    expect(await pipeline.items()).toHaveLength(1);
    const other = await pipeline.dynamo.send(new ScanCommand({ TableName: otherTable }));
    expect(other.Items ?? []).toEqual([]);

    // the two commands sit on different partitions: order the letters by code
    const letters = (await readTopicRange(kafka, dlq)).records
      .map((record) => JSON.parse(String(record.message.value)) as DeadLetter)
      .sort((a, b) => a.code.localeCompare(b.code));
    expect(letters.map((letter) => [letter.stage, letter.code, letter.message])).toEqual([
      ['writer', 'WRITER_TABLE_NOT_ALLOWED', `table "${otherTable}" is not this writer's table "${pipeline.names.table}" (PG2DDB_MAPPING_FILE)`],
      ['writer', 'WRITER_VERSION_OUT_OF_RANGE', `version ${'f'.repeat(32)}1 carries LSN FFFFFFFF/FFFFFFFF, beyond 10000/0 (256 TiB of WAL), which no source produces`],
    ]);
    // nothing lost: each letter holds the forged command as it was sent
    expect(letters.map((letter) => JSON.parse(letter.original.value as string))).toEqual([elsewhere, frozen]);

    // The refused version froze nothing: a real change of that item is written.
    const real = put(pipeline.names.table, 'b', version(2), 'REAL');
    await producer.send({ topic: writes, acks: -1, messages: [{ key: writeCommandKey(real), value: JSON.stringify(real) }] });
    await eventually(async () => expect(await pipeline.item(key('b'))).toMatchObject({ PaymentStatus: { S: 'REAL' } }), { timeoutMs: 60_000 });
  });
});
