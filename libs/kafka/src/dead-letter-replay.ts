import { topicNames, type DeadLetter } from '@pg2ddb/contracts';
import type { Message } from 'kafkajs';

/** Where a dead letter goes back to, or why it cannot. */
export type ReplayTarget = { topic: string; message: Message } | { unsupported: string };

/** Header naming the DLQ position a replayed message came from (for tracing and logs). */
export const REPLAYED_FROM_HEADER = 'pg2ddb-replayed-from';

/**
 * Decides how a dead letter is re-submitted after a fix: a writer letter's write command goes back
 * to `<prefix>.writes`, a transformer letter's Debezium event back to its change topic, each with
 * its original key and headers, so the stage that failed sees the same input again. Replaying is
 * idempotent downstream: the writer's version guard refuses a command it has already applied.
 * A truncated or redacted letter's value is a stand-in: the caller replaces it with the original
 * re-read from `original.topic/partition/offset`.
 */
export function replayTarget(letter: DeadLetter, prefix: string, position: { partition: number; offset: string }): ReplayTarget {
  // A redacted letter may hold no value of its own (not JSON, or cut): the replay re-reads the original.
  const rereads = (letter.original.redacted?.valueBytes ?? 0) > 0;
  if (letter.original.value === null && !rereads) return { unsupported: 'the original message had no value' };
  const encoding = letter.original.encoding === 'base64' ? 'base64' : 'utf8';
  const headers = { ...letter.original.headers, [REPLAYED_FROM_HEADER]: `${topicNames(prefix).dlq}/${position.partition}/${position.offset}` };
  const message: Message = {
    key: letter.original.key === null ? null : Buffer.from(letter.original.key, encoding),
    value: Buffer.from(letter.original.value ?? '', encoding),
    headers,
  };
  switch (letter.stage) {
    case 'writer':
      return { topic: topicNames(prefix).writes, message };
    case 'transformer':
      return { topic: letter.original.topic, message };
    default:
      return { unsupported: `letters of stage "${letter.stage}" are not replayable (only writer and transformer letters are)` };
  }
}
