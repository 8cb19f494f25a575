import type { IncomingBatch } from './kafka-batch-server';

/** Where a batch sits: the fields every log line about it carries (topic, partition, offsets, attempt). */
export interface BatchCoordinates {
  topic: string;
  partition: number;
  firstOffset?: string;
  lastOffset?: string;
  attempt: number;
}

/** The coordinates of one partition batch, for its log lines and errors. */
export function batchCoordinates(batch: Pick<IncomingBatch, 'topic' | 'partition' | 'messages' | 'attempt'>): BatchCoordinates {
  const first = batch.messages[0]?.offset;
  const last = batch.messages[batch.messages.length - 1]?.offset;
  return { topic: batch.topic, partition: batch.partition, ...(first === undefined ? {} : { firstOffset: first, lastOffset: last }), attempt: batch.attempt };
}
