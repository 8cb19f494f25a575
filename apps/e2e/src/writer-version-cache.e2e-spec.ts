import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { topicNames, writeCommandKey, type AttributeMap, type WriteCommand } from '@pg2ddb/contracts';
import { consumerLag, createKafka } from '@pg2ddb/kafka';
import { startServiceProcess, type ServiceProcess } from '@pg2ddb/service';
import { eventually, readStackEnv, TestPipeline } from '@pg2ddb/testing';
import type { Admin, Kafka, Producer } from 'kafkajs';

// The writer remembers, per partition it owns, the versions it read or wrote, and skips the version
// guard's read for them. That is only sound while nobody else writes the partition's items: a
// partition that moved to another writer and back must come back with nothing remembered. Writer
// A writes v1 of every item; B joins (each owns one of the two partitions) and writes v3; B leaves,
// A owns both again and receives v2 — newer than what A once wrote, older than B's v3. Remembering
// v1 would let A overwrite v3 with v2 (the batch path writes without a condition).
const examples = join(__dirname, '../../../examples/payments');
const ITEMS = 24;

const version = (n: number): string => n.toString(16).padStart(16, '0') + '0'.repeat(16) + '1';
const key = (id: number): AttributeMap => ({ PK: { S: `CUSTOMER#${id}` }, SK: { S: 'PAYMENT#2024-01-01T00:00:00.000000Z#1' } });

describe('writer: the version cache does not survive a revoke', () => {
  let pipeline: TestPipeline;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  let writerB: ServiceProcess | undefined;

  const put = (id: number, n: number): WriteCommand => ({
    v: 1,
    op: 'put',
    table: pipeline.names.table,
    key: key(id),
    entity: 'Payment',
    version: version(n),
    source: { topic: 'injected', partition: 0, offset: String(n), schema: 'public', table: 'payments', lsn: null, txId: null, snapshot: false, committedAtMs: Date.now() },
    item: { ...key(id), PaymentStatus: { S: `V${n}` }, _type: { S: 'Payment' } },
  });
  const ids = Array.from({ length: ITEMS }, (_, index) => index + 1);

  async function send(n: number): Promise<void> {
    const commands = ids.map((id) => put(id, n));
    await producer.send({
      topic: topicNames(pipeline.names.prefix).writes,
      acks: -1,
      messages: commands.map((command) => ({ key: writeCommandKey(command), value: JSON.stringify(command) })),
    });
  }

  async function statuses(): Promise<string[]> {
    return Promise.all(ids.map(async (id) => ((await pipeline.item(key(id)))?.PaymentStatus as { S: string } | undefined)?.S ?? 'none'));
  }

  /** Members of the writer group that own at least one partition, once the group is stable. */
  async function owners(): Promise<number> {
    const [group] = (await admin.describeGroups([`${pipeline.names.prefix}.writer`])).groups;
    if (group?.state !== 'Stable') return -1;
    return group.members.filter((member) => member.memberAssignment.length > 16).length;
  }

  async function applied(service: ServiceProcess): Promise<number> {
    const text = await (await fetch(`http://127.0.0.1:${service.httpPort}/metrics`)).text();
    return Number(/^pg2ddb_writer_commands_total\{outcome="applied"\} (\d+)/m.exec(text)?.[1] ?? 0);
  }

  beforeAll(async () => {
    pipeline = await TestPipeline.start({
      mapping: readFileSync(join(examples, 'mapping.yaml'), 'utf8'),
      schemaSql: readFileSync(join(examples, 'schema.sql'), 'utf8'),
      services: ['writer'],
      serviceEnv: { writer: { PG2DDB_WRITES_PARTITIONS: '2', PG2DDB_WRITER_VERSION_CACHE_ITEMS: '5000' } },
    });
    kafka = createKafka({ brokers: pipeline.env.PG2DDB_KAFKA_BROKERS!.split(','), clientId: `${pipeline.names.id}-cache` });
    admin = kafka.admin();
    await admin.connect();
    producer = kafka.producer();
    await producer.connect();
  });

  afterAll(async () => {
    await writerB?.stop();
    await producer?.disconnect();
    await admin?.disconnect();
    await pipeline?.stop();
  });

  it("re-reads versions after its partition came back, so another owner's newer write stays", async () => {
    const { prefix } = pipeline.names;
    await send(1);
    await eventually(async () => expect(await statuses()).toEqual(ids.map(() => 'V1')), { timeoutMs: 60_000 });

    const env = readStackEnv();
    writerB = await startServiceProcess(
      'writer',
      { ...env, PG2DDB_MAPPING_FILE: pipeline.mappingFile, PG2DDB_TOPIC_PREFIX: prefix, PG2DDB_LOG_FORMAT: 'json', PG2DDB_WRITES_PARTITIONS: '2', PG2DDB_DYNAMO_ENDPOINT: env.PG2DDB_DYNAMO_ENDPOINT as string },
      join(pipeline.workDir, 'writer-b.log'),
    );
    await writerB.ready(120_000);
    await eventually(async () => expect(await owners()).toBe(2), { timeoutMs: 60_000, intervalMs: 500 });
    await send(3);
    await eventually(async () => expect(await statuses()).toEqual(ids.map(() => 'V3')), { timeoutMs: 60_000 });
    // B wrote the items of its partition: A's v1 of them is out of date now.
    expect(await applied(writerB)).toBeGreaterThan(0);

    await writerB.stop();
    writerB = undefined;
    await eventually(async () => expect(await owners()).toBe(1), { timeoutMs: 60_000, intervalMs: 500 });
    await send(2);
    await eventually(async () => expect(await consumerLag(kafka, `${prefix}.writer`, [topicNames(prefix).writes])).toBe(0), { timeoutMs: 60_000 });
    expect(await statuses()).toEqual(ids.map(() => 'V3'));
  });
});
