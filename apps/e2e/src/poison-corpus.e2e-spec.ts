import { topicNames, type DeadLetter } from '@pg2ddb/contracts';
import { createKafka, readTopicRange } from '@pg2ddb/kafka';
import { eventually, TestPipeline } from '@pg2ddb/testing';
import type { Kafka, Message } from 'kafkajs';

// Issue 13, chaos section: a poison corpus produced straight into a change topic and into
// <prefix>.writes — malformed, truncated, oversized, wrong-typed, mis-keyed, tombstones and
// unknown ops. Each one is dead-lettered with its reason, or skipped by a documented rule
// (Kafka tombstones, Debezium logical messages); the services stay up; the next real change arrives.
const mapping = `
table: { name: Docs, partitionKey: { name: PK, type: S } }
entities:
  - name: Doc
    source: { schema: public, table: docs }
    primaryKey: [id]
    columns: { id: integer, body: text, score: float8 }
    key: { pk: "DOC#{id}" }
`;

type Expect = { code: string; reason?: RegExp } | 'skip';
interface Case {
  name: string;
  message: Message;
  expect: Expect;
}

describe('poison corpus on the real stack', () => {
  let pipeline: TestPipeline;
  let kafka: Kafka;

  beforeAll(async () => {
    pipeline = await TestPipeline.start({
      mapping,
      schemaSql: `CREATE TABLE docs (id integer PRIMARY KEY, body text, score float8); INSERT INTO docs VALUES (1, 'real', 1.5);`,
    });
    kafka = createKafka({ brokers: pipeline.env.PG2DDB_KAFKA_BROKERS!.split(','), clientId: `${pipeline.names.id}-test` });
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  it('dead-letters or skips each poison message by rule, stays up, and the next real change arrives', async () => {
    await eventually(async () => expect(await pipeline.item({ PK: { S: 'DOC#1' } })).toBeDefined(), { timeoutMs: 90_000 });
    const changeTopic = `${pipeline.names.prefix}.${pipeline.names.schema}.docs`;
    const writesTopic = topicNames(pipeline.names.prefix).writes;
    // A real event of the table as the template: its schema, source block and key.
    const { records } = await readTopicRange(kafka, changeTopic);
    const real = JSON.parse(String(records[0]!.message.value)) as { schema: unknown; payload: Record<string, unknown> & { after: Record<string, unknown>; source: Record<string, unknown> } };
    const realKey = String(records[0]!.message.key);
    const keyFor = (id: unknown) => realKey.replace(/"payload":\{"id":1\}/, `"payload":{"id":${JSON.stringify(id)}}`);
    const event = (payload: Record<string, unknown>, schema: unknown = real.schema) => JSON.stringify({ schema, payload: { ...real.payload, ...payload } });
    const after = (row: Record<string, unknown>) => ({ op: 'c', before: null, after: { id: 900, body: 'x', score: 1, ...row } });
    const change = (name: string, value: string | null, expect: Expect, key: string | null = keyFor(900)): Case => ({ name, message: { key, value }, expect });
    const valid = event(after({}));

    const changeCases: Case[] = [
      change('not JSON', 'this is not json', { code: 'TRANSFORMER_MALFORMED_EVENT' }),
      change('truncated event', valid.slice(0, Math.floor(valid.length / 2)), { code: 'TRANSFORMER_MALFORMED_EVENT' }),
      change('truncated to one byte', valid.slice(0, 1), { code: 'TRANSFORMER_MALFORMED_EVENT' }),
      change('binary garbage', Buffer.from([0xff, 0x00, 0xfe, 0x7b]).toString('latin1'), { code: 'TRANSFORMER_MALFORMED_EVENT' }),
      change('JSON array', '[1,2,3]', { code: 'TRANSFORMER_MALFORMED_EVENT' }),
      change('JSON number', '42', { code: 'TRANSFORMER_MALFORMED_EVENT' }),
      change('empty object', '{}', { code: 'TRANSFORMER_MALFORMED_EVENT' }),
      change('payload without op', JSON.stringify({ schema: real.schema, payload: { after: {}, source: real.payload.source } }), { code: 'TRANSFORMER_MALFORMED_EVENT' }),
      change('payload without source', JSON.stringify({ schema: real.schema, payload: { op: 'c', after: {} } }), { code: 'TRANSFORMER_MALFORMED_EVENT' }),
      change('unknown op x', event({ ...after({}), op: 'x' }), { code: 'MAPPING_ENVELOPE_INVALID', reason: /unknown op "x"/ }),
      change('unknown op upsert', event({ ...after({}), op: 'upsert' }), { code: 'MAPPING_ENVELOPE_INVALID' }),
      change('truncate', event({ op: 't', before: null, after: null }), { code: 'MAPPING_TRUNCATE_UNSUPPORTED' }, null),
      change('logical decoding message', event({ op: 'm', before: null, after: null }), 'skip', null),
      change('Kafka tombstone', null, 'skip'),
      change('create without after', event({ op: 'c', before: null, after: null }), { code: 'MAPPING_ENVELOPE_INVALID', reason: /has no "after"/ }),
      change('delete without before', event({ op: 'd', before: null, after: null }), { code: 'MAPPING_ENVELOPE_INVALID', reason: /has no "before"/ }),
      change('key of another row', event(after({})), { code: 'MAPPING_KEY_MISMATCH', reason: /key id=901, "after" id=900/ }, keyFor(901)),
      change('delete keyed by another row', event({ op: 'd', before: { id: 1, body: null, score: null }, after: null }), { code: 'MAPPING_KEY_MISMATCH' }, keyFor(2)),
      change('no key', event(after({})), { code: 'MAPPING_KEY_MISSING' }, null),
      change('key not JSON', event(after({})), { code: 'MAPPING_KEY_MISMATCH' }, 'id=900'),
      change('no schema', JSON.stringify({ payload: { ...real.payload, ...after({}) } }), { code: 'MAPPING_SCHEMA_MISSING', reason: /schemas.enable=true/ }),
      change('schema without after', event(after({}), { type: 'struct', fields: [] }), { code: 'MAPPING_SCHEMA_MISSING' }),
      change('unmapped table', event({ ...after({}), source: { ...real.payload.source, table: 'elsewhere' } }), { code: 'MAPPING_UNMAPPED_TABLE' }),
      change('missing column', event({ op: 'c', before: null, after: { id: 900, body: 'x' } }), { code: 'MAPPING_ROW_INCOMPLETE' }),
      change('wrong type: id as text', event(after({ id: 'nine hundred' })), { code: 'MAPPING_VALUE_INVALID' }, keyFor('nine hundred')),
      change('wrong type: score as object', event(after({ score: { a: 1 } })), { code: 'MAPPING_VALUE_INVALID' }),
      change('NULL key column', event(after({ id: null })), { code: 'MAPPING_EMPTY_KEY' }, keyFor(null)),
      change('number DynamoDB cannot hold', event(after({ score: 1e200 })), { code: 'MAPPING_NUMBER_OUT_OF_RANGE' }),
      change('NaN', event(after({ score: 'NaN' })), { code: 'MAPPING_NOT_A_NUMBER' }),
      change('oversized row', event(after({ body: 'y'.repeat(500_000) })), { code: 'TRANSFORMER_ITEM_TOO_LARGE', reason: /over DynamoDB's item size limit/ }),
      change('no position', event({ ...after({}), source: { ...real.payload.source, lsn: null, sequence: null } }), { code: 'SOURCE_POSITION_INVALID' }),
    ];
    const command = { v: 1, op: 'put', table: pipeline.names.table, key: { PK: { S: 'DOC#950' } }, entity: 'Doc', version: `${'0'.repeat(31)}1${'0'}`, source: { topic: 't', partition: 0, offset: '0' }, item: { PK: { S: 'DOC#950' } } };
    const write = (name: string, value: string | null, expect: Expect): Case => ({ name, message: { key: 'DOC#950', value }, expect });
    const writeCases: Case[] = [
      write('command not JSON', '{"v":1,', { code: 'WRITER_MALFORMED_COMMAND', reason: /^not JSON/ }),
      write('command is an array', '[]', { code: 'WRITER_MALFORMED_COMMAND', reason: /must be a JSON object/ }),
      write('command version 2', JSON.stringify({ ...command, v: 2 }), { code: 'WRITER_MALFORMED_COMMAND', reason: /unsupported write command version 2/ }),
      write('command unknown op', JSON.stringify({ ...command, op: 'merge' }), { code: 'WRITER_MALFORMED_COMMAND', reason: /unknown op "merge"/ }),
      write('command without key', JSON.stringify({ ...command, key: {} }), { code: 'WRITER_MALFORMED_COMMAND', reason: /key must be a non-empty attribute map/ }),
      write('command with a bad version', JSON.stringify({ ...command, version: 'latest' }), { code: 'WRITER_MALFORMED_COMMAND', reason: /is not a source version/ }),
      write('put without item', JSON.stringify({ ...command, item: undefined }), { code: 'WRITER_MALFORMED_COMMAND', reason: /put needs an item/ }),
      write('update without remove', JSON.stringify({ ...command, op: 'update', set: {} }), { code: 'WRITER_MALFORMED_COMMAND', reason: /update needs set/ }),
      write('command tombstone', null, 'skip'),
    ];

    const producer = kafka.producer();
    await producer.connect();
    const offsets = new Map<string, Case>();
    for (const [topic, cases] of [[changeTopic, changeCases], [writesTopic, writeCases]] as const) {
      for (const poison of cases) {
        const [meta] = await producer.send({ topic, acks: -1, messages: [poison.message] });
        offsets.set(`${topic}/${meta!.partition}/${meta!.baseOffset}`, poison);
      }
    }
    await producer.disconnect();
    const total = changeCases.length + writeCases.length;
    expect(total).toBeGreaterThanOrEqual(30);

    await pipeline.query(`INSERT INTO docs VALUES (2, 'next real change', 2.5)`);
    await eventually(async () => expect(await pipeline.item({ PK: { S: 'DOC#2' } })).toMatchObject({ body: { S: 'next real change' } }), { timeoutMs: 60_000 });

    const expectedLetters = [...offsets.values()].filter((poison) => poison.expect !== 'skip').length;
    const letters = await eventually(async () => {
      const dlq = (await readTopicRange(kafka, topicNames(pipeline.names.prefix).dlq)).records.map((record) => JSON.parse(String(record.message.value)) as DeadLetter);
      expect(dlq).toHaveLength(expectedLetters);
      return dlq;
    }, { timeoutMs: 60_000 });
    const outcome = new Map(letters.map((letter) => [`${letter.original.topic}/${letter.original.partition}/${letter.original.offset}`, letter]));
    for (const [position, poison] of offsets) {
      const letter = outcome.get(position);
      if (poison.expect === 'skip') {
        expect({ name: poison.name, letter }).toEqual({ name: poison.name, letter: undefined });
        continue;
      }
      expect({ name: poison.name, code: letter?.code }).toEqual({ name: poison.name, code: poison.expect.code });
      expect(letter?.message.length).toBeGreaterThan(0);
      if (poison.expect.reason) expect({ name: poison.name, message: letter?.message }).toEqual({ name: poison.name, message: expect.stringMatching(poison.expect.reason) });
    }
    // No phantom items: only the two real rows are in DynamoDB.
    expect((await pipeline.items()).map((item) => (item.PK as { S?: string } | undefined)?.S).sort()).toEqual(['DOC#1', 'DOC#2']);
    for (const name of ['transformer', 'writer'] as const) {
      expect((await fetch(`${pipeline.serviceUrl(name)}/health/live`)).status).toBe(200);
      expect((await fetch(`${pipeline.serviceUrl(name)}/health/ready`)).status).toBe(200);
    }
  });
});
