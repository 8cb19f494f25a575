import type { DeadLetter, DeadLetterStage } from '@pg2ddb/contracts';
import type { IHeaders, KafkaMessage } from 'kafkajs';

/** Where a failed message was read from. */
export interface MessageOrigin {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

/**
 * Wraps a message no stage could process into a dead letter that keeps the original bytes and
 * coordinates, so `cli dlq replay` can send it back once the cause is fixed.
 */
export function buildDeadLetter(
  stage: DeadLetterStage,
  failure: { code: string; message: string; details?: Record<string, unknown> },
  origin: MessageOrigin,
  now: Date = new Date(),
): DeadLetter {
  const key = encode(origin.message.key);
  const value = encode(origin.message.value);
  return {
    v: 1,
    stage,
    code: failure.code,
    message: failure.message,
    original: {
      topic: origin.topic,
      partition: origin.partition,
      offset: origin.message.offset,
      key: key.text,
      value: value.text,
      encoding: key.encoding === 'base64' || value.encoding === 'base64' ? 'base64' : 'utf8',
      headers: headersToStrings(origin.message.headers),
      timestamp: origin.message.timestamp,
    },
    ...(failure.details ? { details: failure.details } : {}),
    failedAt: now.toISOString(),
  };
}

function encode(buffer: Buffer | null | undefined): { text: string | null; encoding: 'utf8' | 'base64' } {
  if (buffer === null || buffer === undefined) return { text: null, encoding: 'utf8' };
  const text = buffer.toString('utf8');
  return Buffer.from(text, 'utf8').equals(buffer) ? { text, encoding: 'utf8' } : { text: buffer.toString('base64'), encoding: 'base64' };
}

function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.map(String).join(',') : String(value);
  }
  return out;
}
