import type { DeadLetter, DeadLetterStage } from '@pg2ddb/contracts';
import type { IHeaders, KafkaMessage } from 'kafkajs';

/** Where a failed message was read from. */
export interface MessageOrigin {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

/**
 * How much of the original a dead letter carries. A letter must always fit the DLQ topic
 * (1 MiB by default): a letter that cannot be produced stalls the partition it came from.
 */
export interface DeadLetterLimits {
  /** Serialized bytes of the original value kept (default 768 KiB: a whole command of a 400 KB item fits); the rest is read from its topic. */
  maxValueBytes: number;
  /** Characters of the reason kept (default 4096). */
  maxMessageChars: number;
  /** Serialized bytes of `details` kept (default 8 KiB); larger details are replaced by a preview. */
  maxDetailsBytes: number;
}

export const DEFAULT_DEAD_LETTER_LIMITS: DeadLetterLimits = { maxValueBytes: 768 * 1024, maxMessageChars: 4096, maxDetailsBytes: 8 * 1024 };

/**
 * Wraps a message no stage could process into a dead letter that keeps the coordinates, the
 * reason and the original bytes, so `cli dlq replay` can send it back once the cause is fixed.
 * An original larger than `limits.maxValueBytes` is cut (the letter says where the whole message
 * is), so one huge event can never make its letter unproducible.
 */
export function buildDeadLetter(
  stage: DeadLetterStage,
  failure: { code: string; message: string; details?: Record<string, unknown> },
  origin: MessageOrigin,
  now: Date = new Date(),
  limits: DeadLetterLimits = DEFAULT_DEAD_LETTER_LIMITS,
): DeadLetter {
  const key = encode(origin.message.key);
  const value = encode(origin.message.value);
  const kept: { text: string | null } | { text: string; cut: true } = value.text === null ? { text: null } : keepWithin(value.text, limits.maxValueBytes);
  const where = `${origin.topic}/${origin.partition}/${origin.message.offset}`;
  return {
    v: 1,
    stage,
    code: failure.code,
    message: failure.message.length > limits.maxMessageChars ? `${failure.message.slice(0, limits.maxMessageChars)}… (cut at ${limits.maxMessageChars} characters)` : failure.message,
    original: {
      topic: origin.topic,
      partition: origin.partition,
      offset: origin.message.offset,
      key: key.text,
      value: kept.text,
      encoding: key.encoding === 'base64' || value.encoding === 'base64' ? 'base64' : 'utf8',
      headers: headersToStrings(origin.message.headers),
      timestamp: origin.message.timestamp,
      ...('cut' in kept && kept.text !== null
        ? {
            truncated: {
              valueBytes: origin.message.value?.length ?? 0,
              keptChars: kept.text.length,
              rest: `the whole message is at ${where} (topic/partition/offset) while that topic's retention keeps it`,
            },
          }
        : {}),
    },
    ...(failure.details ? { details: capDetails(failure.details, limits.maxDetailsBytes) } : {}),
    failedAt: now.toISOString(),
  };
}

/** The longest prefix of `text` whose JSON string form (quotes and escapes included) fits `maxBytes`. */
function keepWithin(text: string, maxBytes: number): { text: string } | { text: string; cut: true } {
  if (jsonBytes(text) <= maxBytes) return { text };
  let kept = text.slice(0, maxBytes);
  for (let size = jsonBytes(kept); size > maxBytes; size = jsonBytes(kept)) {
    kept = kept.slice(0, Math.max(0, Math.floor((kept.length * maxBytes) / size) - 1));
  }
  return { text: kept, cut: true };
}

function jsonBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text), 'utf8');
}

function capDetails(details: Record<string, unknown>, maxBytes: number): Record<string, unknown> {
  const text = JSON.stringify(details) ?? '';
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return details;
  return { truncated: true, preview: keepWithin(text, maxBytes - 64).text };
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
