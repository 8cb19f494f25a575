import { BIT_FAMILY, VARBIT_REFUSED } from './bit-family';
import { HSTORE_FAMILY } from './hstore-family';
import { BOOLEAN_FAMILY, FLOAT_FAMILY, INTEGER_FAMILY, NUMERIC_FAMILY } from './number-families';
import { RANGE_FAMILY, TSTZRANGE_FAMILY } from './range-families';
import { DATE_FAMILY, INTERVAL_FAMILY, TIME_FAMILY, TIMESTAMP_FAMILY, TIMESTAMPTZ_FAMILY, TIMETZ_FAMILY } from './temporal-families';
import { BYTES_FAMILY, ENUM_FAMILY, JSON_FAMILY, TEXT_FAMILY, TSVECTOR_REFUSED, UUID_FAMILY } from './text-families';
import type { ColumnFamily, ColumnType, DebeziumDecoder, RefusedType, SourceCheck, TypeFamily } from './type-family';

/**
 * The registry of Postgres type families: the one list every conversion, SQL read and check
 * consults. Adding a type is adding it here (an alias of a family, or a new family file).
 */
export const TYPE_FAMILIES: readonly TypeFamily[] = [
  INTEGER_FAMILY,
  NUMERIC_FAMILY,
  FLOAT_FAMILY,
  BOOLEAN_FAMILY,
  TEXT_FAMILY,
  UUID_FAMILY,
  ENUM_FAMILY,
  JSON_FAMILY,
  HSTORE_FAMILY,
  BYTES_FAMILY,
  DATE_FAMILY,
  TIME_FAMILY,
  TIMETZ_FAMILY,
  TIMESTAMP_FAMILY,
  TIMESTAMPTZ_FAMILY,
  INTERVAL_FAMILY,
  BIT_FAMILY,
  RANGE_FAMILY,
  TSTZRANGE_FAMILY,
];

/** Types the mapping recognises but refuses, each with its reason. */
export const REFUSED_TYPES: readonly RefusedType[] = [VARBIT_REFUSED, TSVECTOR_REFUSED];

/**
 * The checks `validate` runs on every array column, whatever its family: Debezium 3.2 sends each
 * inner array of a multi-dimensional value as NULL (`{{1,2},{3,4}}` arrives as `[null,null]`), so
 * rows holding one are reported (the reconciler and the way back read nested lists exactly).
 */
export const ARRAY_CHECKS: readonly SourceCheck[] = ['array-dimensions'];

const BY_NAME = new Map<ColumnFamily, TypeFamily>(TYPE_FAMILIES.map((family) => [family.name, family]));
const BY_ALIAS = new Map<string, TypeFamily>(TYPE_FAMILIES.flatMap((family) => family.aliases.map((alias) => [alias, family] as const)));
const REFUSED_BY_ALIAS = new Map<string, RefusedType>(REFUSED_TYPES.flatMap((refused) => refused.aliases.map((alias) => [alias, refused] as const)));
const BY_DEBEZIUM_NAME = new Map<string, DebeziumDecoder>(TYPE_FAMILIES.flatMap((family) => Object.entries(family.debeziumNames ?? {})));
const BY_SOURCE_TYPE = new Map<string, TypeFamily>(TYPE_FAMILIES.flatMap((family) => (family.debeziumSourceTypes ?? []).map((type) => [type, family] as const)));

/** Type names the mapping accepts (plus `(…)` modifiers and a `[]` suffix or `_` prefix for arrays). */
export const KNOWN_TYPE_NAMES: readonly string[] = [...BY_ALIAS.keys()];

/** The family of a parsed type. */
export function typeFamily(type: ColumnType): TypeFamily {
  return BY_NAME.get(type.family)!;
}

/** The decoder of a named Connect schema (`io.debezium.time.Date`, …), or undefined. */
export function debeziumNamedDecoder(name: string): DebeziumDecoder | undefined {
  return BY_DEBEZIUM_NAME.get(name);
}

/** The family a Debezium `__debezium.source.column.type` value (upper case) means, or undefined. */
export function familyOfSourceType(sourceType: string): TypeFamily | undefined {
  return BY_SOURCE_TYPE.get(sourceType);
}

const MODIFIERS = /\([^)]*\)/g;
const SPACES = /\s+/g;
const ARRAY_SUFFIX = /(\[\d*\])+$/;

/** A declared name without modifiers, lower case, with whether it names an array. */
function baseName(declared: string): { name: string; array: boolean } {
  const name = declared.toLowerCase().replace(MODIFIERS, '').replace(SPACES, ' ').trim();
  if (ARRAY_SUFFIX.test(name)) return { name: name.replace(ARRAY_SUFFIX, '').trim(), array: true };
  // information_schema's udt_name spells int4[] as _int4.
  if (name.startsWith('_') && (BY_ALIAS.has(name.slice(1)) || REFUSED_BY_ALIAS.has(name.slice(1)))) return { name: name.slice(1), array: true };
  return { name, array: false };
}

/** Parses a declared type; undefined when the name is not one the mapping knows (or one it refuses). */
export function parseColumnType(declared: string): ColumnType | undefined {
  const { name, array } = baseName(declared);
  const family = BY_ALIAS.get(name);
  return family ? { declared, family: family.name, array } : undefined;
}

/** Why the mapping refuses a type it recognises (varbit, …), or undefined. */
export function refusedTypeReason(declared: string): string | undefined {
  return REFUSED_BY_ALIAS.get(baseName(declared).name)?.reason;
}

/** Families whose rendered text can never be empty (a key built only from them is never empty). */
export function neverRendersEmpty(type: ColumnType | undefined): boolean {
  return type !== undefined && !type.array && typeFamily(type).keyNeverEmpty;
}

/** Families a TTL rule can start from. */
export function isTtlSource(type: ColumnType): boolean {
  return !type.array && typeFamily(type).ttlSource;
}

/**
 * What a live column (its `udt_name`, enum or not) is to the mapping: its parsed type, or
 * undefined when the mapping cannot convert it.
 */
export function liveColumnType(udtName: string, isEnum: boolean, isArray: boolean): ColumnType | undefined {
  return isEnum ? { declared: isArray ? '_enum' : 'enum', family: 'enum', array: isArray } : parseColumnType(udtName);
}

/** The SQL expression the reconciler selects a column of this `udt_name` with (exact text). */
export function selectColumnSql(ref: string, udtName: string | undefined): string {
  if (udtName === undefined) return ref;
  const family = BY_ALIAS.get(udtName);
  return family?.selectSql?.(ref, udtName) ?? ref;
}

/** Two families convert alike (text-like, exact numbers, the two timestamps): a declaration of one fits the other. */
export function compatibleFamilies(a: ColumnFamily, b: ColumnFamily): boolean {
  const group = BY_NAME.get(a)?.group;
  return group !== undefined && group === BY_NAME.get(b)?.group;
}
