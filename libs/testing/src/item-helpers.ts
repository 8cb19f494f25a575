import type { AttributeMap, AttributeValue } from '@pg2ddb/contracts';

// 33 hex characters, or 37 with the 4-digit source epoch in front (see libs/sync source-version.ts).
const VERSION = /^(?:[0-9a-f]{4})?[0-9a-f]{32}[01]$/;

/**
 * An item without its `_ver` stamp, for exact comparison with a hand-written expectation (the
 * version depends on WAL positions). Throws when the stamp is missing or not a source version.
 * String sets are sorted, since DynamoDB returns them in no particular order.
 */
export function withoutVersion(item: AttributeMap | undefined): AttributeMap | undefined {
  if (!item) return undefined;
  const { _ver, ...rest } = item;
  if (!_ver || !('S' in _ver) || !VERSION.test(_ver.S)) {
    throw new Error(`item ${JSON.stringify(keyOf(item))} has no valid _ver stamp: ${JSON.stringify(_ver)}`);
  }
  for (const [name, value] of Object.entries(rest)) if ('SS' in value) rest[name] = { SS: [...value.SS].sort() };
  return rest;
}

/** The item's table key (PK and, when present, SK). */
export function keyOf(item: AttributeMap): AttributeMap {
  return item.SK ? { PK: item.PK as AttributeValue, SK: item.SK as AttributeValue } : { PK: item.PK as AttributeValue };
}

/** Orders items by PK then SK (string keys), for comparing whole tables. */
export function byKey(a: AttributeMap, b: AttributeMap): number {
  const text = (item: AttributeMap) => `${(item.PK as { S: string }).S}\u0000${(item.SK as { S?: string } | undefined)?.S ?? ''}`;
  return text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0;
}
