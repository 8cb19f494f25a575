import type { FactoryProvider } from '@nestjs/common';
import type { Kafka, ProducerConfig } from 'kafkajs';

/** The token every service injects its one Kafka producer by. */
export const KAFKA_PRODUCER = Symbol('KAFKA_PRODUCER');

export interface KafkaProducerOptions {
  /**
   * One request in flight (default true), so a partition's messages stay in order across
   * retries: the transformer's commands, the writer's letters, the way back's changes.
   */
  ordered?: boolean;
  /** Idempotent produce (the broker drops a retried duplicate); implies ordered. */
  idempotent?: boolean;
}

/** The producer settings for `options`; topics are created on first use unless idempotent. */
export function producerConfig(options: KafkaProducerOptions = {}): ProducerConfig {
  if (options.idempotent) return { maxInFlightRequests: 1, idempotent: true };
  return options.ordered === false ? { allowAutoTopicCreation: true } : { maxInFlightRequests: 1, allowAutoTopicCreation: true };
}

/**
 * A Nest provider of the service's Kafka producer, connected before the service starts; the
 * module that uses it disconnects it on shutdown.
 */
export function kafkaProducerProvider(kafka: Kafka, options: KafkaProducerOptions = {}): FactoryProvider {
  return {
    provide: KAFKA_PRODUCER,
    useFactory: async () => {
      const producer = kafka.producer(producerConfig(options));
      await producer.connect();
      return producer;
    },
  };
}
