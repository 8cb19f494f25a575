import { topicNames } from '@pg2ddb/contracts';
import type { Kafka } from 'kafkajs';
import { consumerLag } from './consumer-lag';

/** The consumer group `pg2ddb dlq replay` commits to: its offsets mark the letters already re-submitted. */
export function dlqReplayGroup(prefix: string): string {
  return `${prefix}.dlq-replay`;
}

/**
 * Dead letters not yet re-submitted by `pg2ddb dlq replay`: the DLQ's messages after the replay
 * group's committed offsets (all of them when nothing was ever replayed). The DLQ topic itself is
 * append-only, so this — not its size — is what "the DLQ is empty" means for an operator.
 */
export function pendingDeadLetters(kafka: Kafka, prefix: string): Promise<number> {
  return consumerLag(kafka, dlqReplayGroup(prefix), [topicNames(prefix).dlq]);
}
