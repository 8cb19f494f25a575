import { RESERVED_ATTRIBUTES, type AttributeMap, type AttributeValue } from '@pg2ddb/contracts';

import { attributeValuesEqual } from './attribute-equality';

/** How an item differs from what its source row implies. */
export type DriftKind = 'missing' | 'unexpected' | 'mismatch';

/** One attribute that differs: `null` stands for "absent on that side". */
export interface AttributeDifference {
  name: string;
  expected: AttributeValue | null;
  actual: AttributeValue | null;
}

/** A drift candidate for one item (confirmed or not is the caller's business). */
export interface ItemDiff {
  kind: DriftKind;
  /** Every differing attribute, sorted by name (all of them for `missing` and `unexpected`). */
  attributes: AttributeDifference[];
  /** `_ver` of the expected item, when the caller stamped one (repairs), else null. */
  expectedVersion: string | null;
  /** `_ver` stored on the DynamoDB item, or null when there is none. */
  actualVersion: string | null;
}

export interface DiffOptions {
  /** Attribute names to leave out of the comparison besides the reserved ones. */
  ignore?: readonly string[];
}

const RESERVED = new Set<string>(Object.values(RESERVED_ATTRIBUTES));

/**
 * Compares the item a row maps to (`expected`, from `mapRow`) with the item read from DynamoDB
 * (`actual`), attribute by attribute and type-aware (see `attributeValuesEqual`). Returns
 * undefined when they agree. The writer's reserved attributes (`_ver`) never count as a
 * difference — a row read from Postgres carries no version — but are reported as versions.
 * Either side may be undefined: no row → `unexpected`, no item → `missing`.
 */
export function diffItems(expected: AttributeMap | undefined, actual: AttributeMap | undefined, options: DiffOptions = {}): ItemDiff | undefined {
  if (expected === undefined && actual === undefined) return undefined;
  const ignored = ignoredSet(options.ignore);
  if (expected !== undefined && actual !== undefined && sameItem(expected, actual, ignored)) return undefined;
  const versions = { expectedVersion: versionOf(expected), actualVersion: versionOf(actual) };
  if (actual === undefined) {
    return { kind: 'missing', attributes: sortedNames(expected!, ignored).map((name) => ({ name, expected: expected![name]!, actual: null })), ...versions };
  }
  if (expected === undefined) {
    return { kind: 'unexpected', attributes: sortedNames(actual, ignored).map((name) => ({ name, expected: null, actual: actual[name]! })), ...versions };
  }
  const names = [...new Set([...sortedNames(expected, ignored), ...sortedNames(actual, ignored)])].sort();
  const attributes: AttributeDifference[] = [];
  for (const name of names) {
    const want = has(expected, name) ? expected[name]! : null;
    const got = has(actual, name) ? actual[name]! : null;
    if (want !== null && got !== null && attributeValuesEqual(want, got)) continue;
    attributes.push({ name, expected: want, actual: got });
  }
  return attributes.length === 0 ? undefined : { kind: 'mismatch', attributes, ...versions };
}

const reservedOnly: ReadonlySet<string> = RESERVED;
const ignoredSets = new WeakMap<readonly string[], ReadonlySet<string>>();

/** The names to skip; cached per `ignore` array, since a run passes the same one for every item. */
function ignoredSet(ignore: readonly string[] | undefined): ReadonlySet<string> {
  if (!ignore || ignore.length === 0) return reservedOnly;
  let set = ignoredSets.get(ignore);
  if (!set) ignoredSets.set(ignore, (set = new Set([...RESERVED, ...ignore])));
  return set;
}

/** The in-sync fast path: no sorting, no allocation, stops at the first difference. */
function sameItem(expected: AttributeMap, actual: AttributeMap, ignored: ReadonlySet<string>): boolean {
  let names = 0;
  for (const name in expected) {
    if (ignored.has(name)) continue;
    const got = actual[name];
    if (got === undefined || !attributeValuesEqual(expected[name]!, got)) return false;
    names++;
  }
  for (const name in actual) if (!ignored.has(name)) names--;
  return names === 0;
}

function sortedNames(item: AttributeMap, ignored: ReadonlySet<string>): string[] {
  return Object.keys(item)
    .filter((name) => !ignored.has(name))
    .sort();
}

function has(item: AttributeMap, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(item, name);
}

function versionOf(item: AttributeMap | undefined): string | null {
  const value = item?.[RESERVED_ATTRIBUTES.version];
  return value && 'S' in value ? value.S : null;
}
