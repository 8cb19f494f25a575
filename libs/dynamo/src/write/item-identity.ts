import type { AttributeMap, AttributeValue } from '@pg2ddb/contracts';
import { normalizeNumber } from '@pg2ddb/sync';

/**
 * A string naming one item: its table and key, with numbers in canonical form so that a key
 * DynamoDB hands back (`"1"`) matches the key a command was written with (`"1.0"`). Key names are
 * sorted, so attribute order never matters.
 */
export function itemIdentity(table: string, key: AttributeMap): string {
  const names = Object.keys(key).sort();
  let identity = table;
  for (const name of names) identity += `|${name}=${scalar(key[name] as AttributeValue)}`;
  return identity;
}

function scalar(value: AttributeValue): string {
  if ('S' in value) return `S:${value.S}`;
  if ('N' in value) return `N:${normalizeNumber(value.N)}`;
  if ('B' in value) return `B:${value.B}`;
  return JSON.stringify(value);
}
