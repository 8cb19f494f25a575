import { Kafka, logLevel, type KafkaConfig, type LogEntry } from 'kafkajs';

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

/** Creates the topics that do not exist yet (idempotent); Debezium's change topics included. */
export async function ensureTopics(kafka: Kafka, topics: string[], numPartitions = 1): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await admin.createTopics({ waitForLeaders: true, topics: missing.map((topic) => ({ topic, numPartitions })) });
    }
  } finally {
    await admin.disconnect();
  }
}
