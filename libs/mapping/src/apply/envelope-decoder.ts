import { parseJsonLossless } from '../values/lossless-json';

const SCHEMA_PREFIX = '{"schema":';
const PAYLOAD_SEPARATOR = ',"payload":';

/**
 * Decodes Debezium events as the JsonConverter writes them (`{"schema":…,"payload":…}`, no
 * whitespace) like `parseJsonLossless` does, but parses each distinct Connect schema once.
 *
 * With `schemas.enable=true` about 80% of an event's bytes are its schema, and a table's schema is
 * the same text in every event until the table changes. So the text is split at the first
 * `,"payload":`, the schema part is looked up by its exact text (parsed and cached on a miss), and
 * only the payload is parsed. The split is safe: inside the schema that sequence could only come
 * from a parameter named "payload", and then the schema part is cut mid-object, is not valid JSON,
 * can never be in the cache, and the event falls back to a full parse — as does any text that does
 * not have the expected shape. Cached schemas are frozen: events share them.
 */
export class EnvelopeDecoder {
  private readonly schemas = new Map<string, unknown>();
  /** The schemas of events given as bytes, by their UTF-8 bytes; the most used first. */
  private readonly recentBytes: Array<{ bytes: Buffer; schema: unknown }> = [];

  /** @param maxSchemas distinct schema texts kept; the cache starts over when it is full. */
  constructor(private readonly maxSchemas = 256) {}

  /**
   * Parses one event, given as text or as the Kafka message's bytes; the same result as
   * `parseJsonLossless(text)` (with the schema frozen). With bytes, a cached schema is recognised
   * by comparing bytes, and only the payload is turned into a string.
   */
  decode(input: string | Buffer): unknown {
    return typeof input === 'string' ? this.decodeText(input) : this.decodeBytes(input);
  }

  /** Distinct schemas cached (for tests and metrics). */
  get cachedSchemas(): number {
    return this.schemas.size + this.recentBytes.length;
  }

  private decodeText(text: string): unknown {
    if (!text.startsWith(SCHEMA_PREFIX) || text.charCodeAt(text.length - 1) !== 0x7d) return parseJsonLossless(text);
    const split = text.indexOf(PAYLOAD_SEPARATOR, SCHEMA_PREFIX.length);
    if (split < 0) return parseJsonLossless(text);
    const schemaText = text.slice(SCHEMA_PREFIX.length, split);
    let schema = this.schemas.get(schemaText);
    if (schema === undefined) {
      try {
        schema = deepFreeze(parseJsonLossless(schemaText));
      } catch {
        return parseJsonLossless(text);
      }
      if (this.schemas.size >= this.maxSchemas) this.schemas.clear();
      this.schemas.set(schemaText, schema);
    }
    return this.withPayload(schema, text.slice(split + PAYLOAD_SEPARATOR.length, text.length - 1), () => text);
  }

  private decodeBytes(value: Buffer): unknown {
    const whole = (): string => value.toString('utf8');
    const start = SCHEMA_PREFIX_BYTES.length;
    if (value.length < start + PAYLOAD_SEPARATOR_BYTES.length + 2 || value.compare(SCHEMA_PREFIX_BYTES, 0, start, 0, start) !== 0 || value[value.length - 1] !== 0x7d) {
      return parseJsonLossless(whole());
    }
    // Most events carry a schema seen before: try the cached ones (most used first) where the
    // separator would follow them, before searching the bytes for it.
    const entries = this.recentBytes;
    for (let index = 0; index < entries.length; index++) {
      const entry = entries[index] as { bytes: Buffer; schema: unknown };
      const split = start + entry.bytes.length;
      if (!separatorAt(value, split) || value.compare(entry.bytes, 0, entry.bytes.length, start, split) !== 0) continue;
      if (index > 0) {
        // Move a hit one step forward, so the tables with the most events are tried first.
        entries[index] = entries[index - 1] as { bytes: Buffer; schema: unknown };
        entries[index - 1] = entry;
      }
      return this.withPayload(entry.schema, value.toString('utf8', split + PAYLOAD_SEPARATOR_BYTES.length, value.length - 1), whole);
    }
    // UTF-8 never uses ASCII byte values inside a multi-byte character, so these byte offsets
    // split the text exactly where the string offsets would.
    const split = value.indexOf(PAYLOAD_SEPARATOR_BYTES, start);
    if (split < 0) return parseJsonLossless(whole());
    let schema: unknown;
    try {
      schema = deepFreeze(parseJsonLossless(value.toString('utf8', start, split)));
    } catch {
      return parseJsonLossless(whole());
    }
    if (entries.length >= this.maxSchemas) entries.length = 0;
    // A copy: the message's buffer is a slice of a whole fetch response, which must not be kept.
    entries.push({ bytes: Buffer.from(value.subarray(start, split)), schema });
    return this.withPayload(schema, value.toString('utf8', split + PAYLOAD_SEPARATOR_BYTES.length, value.length - 1), whole);
  }

  private withPayload(schema: unknown, payloadText: string, whole: () => string): unknown {
    let payload: unknown;
    try {
      payload = parseJsonLossless(payloadText);
    } catch {
      // e.g. more properties after the payload: not the shape this shortcut knows.
      return parseJsonLossless(whole());
    }
    return { schema, payload };
  }
}

const SCHEMA_PREFIX_BYTES = Buffer.from(SCHEMA_PREFIX);
const PAYLOAD_SEPARATOR_BYTES = Buffer.from(PAYLOAD_SEPARATOR);

function separatorAt(value: Buffer, at: number): boolean {
  if (value.length < at + PAYLOAD_SEPARATOR_BYTES.length) return false;
  for (let index = 0; index < PAYLOAD_SEPARATOR_BYTES.length; index++) if (value[at + index] !== PAYLOAD_SEPARATOR_BYTES[index]) return false;
  return true;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}
