import { Kafka, logLevel, type Admin, type KafkaConfig, type LogEntry } from 'kafkajs';
import type { TopicSpec } from './topic-policy';

/** A small structural logger so this lib does not depend on Nest. */
export interface KafkaLogSink {
  error(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  log(message: string, context?: Record<string, unknown>): void;
}

/**
 * A kafkajs client whose logs go through the service's structured logger instead of the console.
 * Retries are bounded: a broker that stays away surfaces as an error the service can report.
 */
export function createKafka(options: { brokers: string[]; clientId: string; logger?: KafkaLogSink } & Partial<KafkaConfig>): Kafka {
  const { logger, ...config } = options;
  return new Kafka({
    connectionTimeout: 5000,
    requestTimeout: 30000,
    retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 10000 },
    ...config,
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      if (!logger) return;
      const { message, ...rest } = entry.log;
      const context = { namespace: entry.namespace, ...rest };
      if (entry.level <= logLevel.ERROR) logger.error(message, context);
      else if (entry.level === logLevel.WARN) logger.warn(message, context);
      else logger.log(message, context);
    },
  });
}

/**
 * Creates the topics that do not exist yet (idempotent), with the spec's partitions, replication
 * factor and topic configs (see `topicSpec`; a bare number is a partition count), and
 * waits until every partition of every topic has a leader. Services start side by side and race
 * to create `<prefix>.writes`: the loser sees the topic listed before its partitions are served,
 * and subscribing then fails with "This server does not host this topic-partition".
 */
export async function ensureTopics(kafka: Kafka, topics: string[], spec: number | TopicSpec = 1, timeoutMs = 30_000): Promise<void> {
  const { numPartitions, replicationFactor, configEntries } = typeof spec === 'number' ? { numPartitions: spec, replicationFactor: undefined, configEntries: undefined } : spec;
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    let createError: unknown;
    if (missing.length > 0) {
      try {
        // We wait for the leaders ourselves: kafkajs's own wait fails with "This server does not
        // host this topic-partition" when another process created the topic a moment earlier.
        await admin.createTopics({
          waitForLeaders: false,
          topics: missing.map((topic) => ({
            topic,
            numPartitions,
            ...(replicationFactor === undefined ? {} : { replicationFactor }),
            ...(configEntries === undefined ? {} : { configEntries }),
          })),
        });
      } catch (error) {
        // Another process created some of them between our list and our create: fine if they
        // become ready below; otherwise the creation error is the one worth reporting.
        if (!isTopicAlreadyExists(error)) createError = error;
      }
    }
    try {
      await waitForLeaders(admin, topics, timeoutMs);
    } catch (error) {
      throw createError ?? error;
    }
  } finally {
    await admin.disconnect();
  }
}

async function waitForLeaders(admin: Admin, topics: string[], timeoutMs: number): Promise<void> {
  if (topics.length === 0) return;
  const deadline = Date.now() + timeoutMs;
  let last = 'no metadata yet';
  while (Date.now() < deadline) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
      const leaderless = metadata.flatMap((topic) => topic.partitions.filter((p) => p.leader < 0 || p.partitionErrorCode !== 0).map((p) => `${topic.name}[${p.partitionId}]`));
      if (metadata.length === topics.length && leaderless.length === 0) return;
      last = leaderless.length > 0 ? `no leader yet for ${leaderless.join(', ')}` : 'topics not all visible yet';
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Kafka topics ${topics.join(', ')} not ready within ${timeoutMs} ms: ${last}`);
}

function isTopicAlreadyExists(error: unknown): boolean {
  const { type, errors } = (error ?? {}) as { type?: string; errors?: unknown[] };
  if (type === 'TOPIC_ALREADY_EXISTS') return true;
  return Array.isArray(errors) && errors.length > 0 && errors.every((inner) => (inner as { type?: string }).type === 'TOPIC_ALREADY_EXISTS');
}
