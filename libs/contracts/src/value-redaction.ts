import type { AttributeMap, AttributeValue } from './attribute-value';
import type { DeadLetter } from './dead-letter';
import type { DriftEvent } from './drift-event';

/** What a redacted row value reads as. Keys, column and attribute names stay as they were. */
export const REDACTED = '[redacted]';

/** Parts of a Debezium payload that describe the change, not the row: kept as they are. */
const ENVELOPE_KEPT = new Set(['source', 'op', 'ts_ms', 'ts_us', 'ts_ns', 'transaction']);
/** Parts of a write command that name the item and its origin, not its values: kept as they are. */
const COMMAND_KEPT = new Set(['v', 'table', 'key', 'entity', 'version', 'source', 'op', 'remove', 'guard', 'partial', 'reason']);
/** Detail fields that hold row values whatever their content. */
const DETAIL_VALUE_FIELDS = new Set(['value', 'values', 'row', 'item', 'before', 'after', 'expected', 'actual', 'preview', 'sample']);

/**
 * A message value with every row value replaced by `[redacted]` and the texts it held (for
 * `redactText`). A Debezium event keeps its schema, source block and op, and the column names of
 * `before`/`after`; a write command keeps table, key, entity, version and source, and the
 * attribute names (and AttributeValue types) of `item`/`set`. Anything else that parses as JSON
 * keeps only its structure; text that is not JSON becomes null.
 */
export function redactMessageValue(text: string | null): { value: string | null; secrets: string[] } {
  if (text === null) return { value: null, secrets: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { value: null, secrets: [text] };
  }
  const secrets: string[] = [];
  return { value: JSON.stringify(redactDocument(parsed, secrets)), secrets };
}

function redactDocument(parsed: unknown, secrets: string[]): unknown {
  if (!isObject(parsed)) return redactLeaves(parsed, secrets);
  if (isObject(parsed['payload']) && 'schema' in parsed) return { ...parsed, payload: redactPayload(parsed['payload'], secrets) };
  if ('op' in parsed && ('after' in parsed || 'before' in parsed)) return redactPayload(parsed, secrets);
  if ('table' in parsed && 'key' in parsed && 'op' in parsed) return keepSome(parsed, COMMAND_KEPT, secrets);
  return redactLeaves(parsed, secrets);
}

function redactPayload(payload: Record<string, unknown>, secrets: string[]): Record<string, unknown> {
  return keepSome(payload, ENVELOPE_KEPT, secrets);
}

function keepSome(object: Record<string, unknown>, kept: ReadonlySet<string>, secrets: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).map(([name, value]) => [name, kept.has(name) ? value : redactLeaves(value, secrets)]));
}

/** Same shape, every non-null scalar replaced; object keys (column and attribute names, AttributeValue tags) kept. */
function redactLeaves(value: unknown, secrets: string[]): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map((entry) => redactLeaves(entry, secrets));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([name, entry]) => [name, redactLeaves(entry, secrets)]));
  secrets.push(String(value));
  return REDACTED;
}

/**
 * `text` with every occurrence of one of `secrets` (as a whole word) replaced by `[redacted]`,
 * so a reason such as `column "amount": 12.345 has too many digits` names the column, not the value.
 */
export function redactText(text: string, secrets: readonly string[]): string {
  const unique = [...new Set(secrets.filter((secret) => secret.length > 0 && secret !== REDACTED))].sort((a, b) => b.length - a.length);
  if (unique.length === 0) return text;
  // Batches keep each regular expression small for rows with many values.
  let out = text;
  for (let start = 0; start < unique.length; start += 200) {
    const pattern = unique.slice(start, start + 200).map(escapeRegExp).join('|');
    out = out.replace(new RegExp(`(?<![A-Za-z0-9_])(?:${pattern})(?![A-Za-z0-9_])`, 'g'), REDACTED);
  }
  return out;
}

/**
 * Redacts a dead letter: the original value as `redactMessageValue`, the reason and the details
 * without the row's values (detail fields named value/row/item/before/after/expected/actual are
 * redacted whole). The key, headers and coordinates are kept, and `original.redacted` says where
 * the whole message is: `dlq replay` re-reads it from there. A letter already redacted is returned as is.
 */
export function redactDeadLetter(letter: DeadLetter): DeadLetter {
  if (letter.original.redacted) return letter;
  const { truncated, ...original } = letter.original;
  // A cut or binary original cannot be parsed into its parts: nothing of it is kept (value null).
  const parsable = original.encoding === 'utf8' && truncated === undefined;
  const { value, secrets } = parsable ? redactMessageValue(original.value) : { value: null, secrets: [] };
  const where = `${original.topic}/${original.partition}/${original.offset}`;
  const valueBytes = truncated?.valueBytes ?? byteLength(original.value, original.encoding);
  return {
    ...letter,
    message: redactText(letter.message, secrets),
    original: {
      ...original,
      value,
      redacted: { valueBytes, rest: `row values are redacted (PG2DDB_REDACT_VALUES); the whole message is at ${where} (topic/partition/offset) while that topic's retention keeps it` },
    },
    ...(letter.details ? { details: redactDetails(letter.details, secrets) as Record<string, unknown> } : {}),
  };
}

function redactDetails(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (Array.isArray(value)) return value.map((entry) => redactDetails(entry, secrets));
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([name, entry]) => [name, DETAIL_VALUE_FIELDS.has(name) ? redactLeaves(entry, []) : redactDetails(entry, secrets)]));
}

/**
 * A drift event without the row's values: `key`, `sourceKey`, attribute names, versions and run
 * stay; each differing value becomes `{S: "[redacted]"}` (`[redacted N]`, `[redacted BOOL]`… for
 * other types, so a type mismatch still shows), maps and lists keep their entry names and length.
 */
export function redactDriftEvent(event: DriftEvent): DriftEvent {
  return { ...event, attributes: event.attributes.map((attribute) => ({ name: attribute.name, expected: redactAttribute(attribute.expected), actual: redactAttribute(attribute.actual) })) };
}

function redactAttribute(value: AttributeValue | null): AttributeValue | null {
  if (value === null || 'NULL' in value) return value;
  if ('M' in value) return { M: Object.fromEntries(Object.entries(value.M).map(([name, entry]) => [name, redactAttribute(entry) as AttributeValue])) as AttributeMap };
  if ('L' in value) return { L: value.L.map((entry) => redactAttribute(entry) as AttributeValue) };
  if ('S' in value) return { S: REDACTED };
  const type = Object.keys(value)[0] ?? '?';
  return { S: `[redacted ${type}]` };
}

function byteLength(text: string | null, encoding: 'utf8' | 'base64'): number {
  if (text === null) return 0;
  return encoding === 'base64' ? Math.floor((text.replace(/=+$/, '').length * 3) / 4) : new TextEncoder().encode(text).length;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
