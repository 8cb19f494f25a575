import { readFileSync } from 'node:fs';
import { topicNames } from '@pg2ddb/contracts';
import { createKafka } from '@pg2ddb/kafka';
import { eventually, TestPipeline } from '@pg2ddb/testing';
import { ConfigResourceTypes, type Kafka } from 'kafkajs';

// Issue 13, defect 9: topics were created with broker defaults (one replica, broker retention —
// the DLQ's letters expired unseen after 7 days —, 1 MB messages), and nothing stopped a writer on
// a <prefix>.writes that gained partitions after items were written, which breaks the
// one-owner-per-item order the version guard relies on.
const mapping = `
table: { name: Notes, partitionKey: { name: PK, type: S } }
entities:
  - name: Note
    source: { schema: public, table: notes }
    primaryKey: [id]
    columns: { id: integer, body: text }
    key: { pk: "NOTE#{id}" }
`;

async function topicConfig(kafka: Kafka, topic: string): Promise<Record<string, string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const described = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }] });
    const entries = described.resources[0]?.configEntries ?? [];
    return Object.fromEntries(entries.filter((e) => ['retention.ms', 'max.message.bytes', 'min.insync.replicas', 'cleanup.policy'].includes(e.configName)).map((e) => [e.configName, e.configValue]));
  } finally {
    await admin.disconnect();
  }
}

describe('topics on the real stack', () => {
  let pipeline: TestPipeline;
  let kafka: Kafka;

  beforeAll(async () => {
    pipeline = await TestPipeline.start({
      mapping,
      schemaSql: `CREATE TABLE notes (id integer PRIMARY KEY, body text); INSERT INTO notes VALUES (1, 'one');`,
    });
    kafka = createKafka({ brokers: pipeline.env.PG2DDB_KAFKA_BROKERS!.split(','), clientId: `${pipeline.names.id}-test` });
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  it('are created with explicit settings, the DLQ kept until dealt with, change topics as Debezium would', async () => {
    await eventually(async () => expect(await pipeline.item({ PK: { S: 'NOTE#1' } })).toBeDefined(), { timeoutMs: 90_000 });
    const topics = topicNames(pipeline.names.prefix);
    const week = String(7 * 24 * 3600 * 1000);
    expect(await topicConfig(kafka, `${pipeline.names.prefix}.${pipeline.names.schema}.notes`)).toEqual({
      'retention.ms': week, 'max.message.bytes': String(16 * 1024 * 1024), 'min.insync.replicas': '1', 'cleanup.policy': 'delete',
    });
    expect(await topicConfig(kafka, topics.writes)).toEqual({ 'retention.ms': week, 'max.message.bytes': String(4 * 1024 * 1024), 'min.insync.replicas': '1', 'cleanup.policy': 'delete' });
    // The writer's sweeps topic: the writes policy, one partition (a sweep runs in a group of its own).
    expect(await topicConfig(kafka, topics.sweeps)).toEqual({ 'retention.ms': week, 'max.message.bytes': String(4 * 1024 * 1024), 'min.insync.replicas': '1', 'cleanup.policy': 'delete' });
    expect(await topicConfig(kafka, topics.dlq)).toEqual({ 'retention.ms': '-1', 'max.message.bytes': String(1024 * 1024), 'min.insync.replicas': '1', 'cleanup.policy': 'delete' });
  });

  it('refuses to run a writer on a <prefix>.writes that gained partitions after items were written', async () => {
    const topic = topicNames(pipeline.names.prefix).writes;
    const admin = kafka.admin();
    await admin.connect();
    try {
      const before = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]!.partitions.length;
      await admin.createPartitions({ topicPartitions: [{ topic, count: before + 2 }] });
    } finally {
      await admin.disconnect();
    }
    const logFile = `${pipeline.workDir}/writer.log`;
    const logged = readFileSync(logFile, 'utf8').length;
    await expect(pipeline.restartService('writer')).rejects.toThrow(/writer exited with code 1 before it was ready/);
    const log = readFileSync(logFile, 'utf8').slice(logged);
    expect(log).toContain(`${topic} has 8 partitions, but the writer group ${pipeline.names.prefix}.writer wrote items while it had 6`);
    expect(log).toContain('Never add partitions to');
  });
});
