/**
 * Postgres column types as the mapping declares them (`numeric(12,2)`, `timestamptz`, `text[]`,
 * `_int4`), reduced to the families that decide a conversion.
 */
export type ColumnFamily =
  | 'integer'
  | 'numeric'
  | 'float'
  | 'boolean'
  | 'text'
  | 'uuid'
  | 'enum'
  | 'json'
  | 'bytes'
  | 'date'
  | 'time'
  | 'timetz'
  | 'timestamp'
  | 'timestamptz'
  | 'interval';

export interface ColumnType {
  /** The type as declared, e.g. `numeric(12,2)`. */
  declared: string;
  family: ColumnFamily;
  /** True for a one-dimensional array of `family`. */
  array: boolean;
}

const FAMILIES: Record<string, ColumnFamily> = {
  smallint: 'integer',
  int2: 'integer',
  integer: 'integer',
  int: 'integer',
  int4: 'integer',
  bigint: 'integer',
  int8: 'integer',
  smallserial: 'integer',
  serial2: 'integer',
  serial: 'integer',
  serial4: 'integer',
  bigserial: 'integer',
  serial8: 'integer',
  oid: 'integer',
  numeric: 'numeric',
  decimal: 'numeric',
  money: 'numeric',
  real: 'float',
  float4: 'float',
  'double precision': 'float',
  float8: 'float',
  float: 'float',
  boolean: 'boolean',
  bool: 'boolean',
  text: 'text',
  varchar: 'text',
  'character varying': 'text',
  char: 'text',
  character: 'text',
  bpchar: 'text',
  citext: 'text',
  name: 'text',
  inet: 'text',
  cidr: 'text',
  macaddr: 'text',
  xml: 'text',
  uuid: 'uuid',
  enum: 'enum',
  json: 'json',
  jsonb: 'json',
  bytea: 'bytes',
  date: 'date',
  time: 'time',
  'time without time zone': 'time',
  timetz: 'timetz',
  'time with time zone': 'timetz',
  timestamp: 'timestamp',
  'timestamp without time zone': 'timestamp',
  timestamptz: 'timestamptz',
  'timestamp with time zone': 'timestamptz',
  interval: 'interval',
};

const MODIFIERS = /\([^)]*\)/g;
const SPACES = /\s+/g;
const ARRAY_SUFFIX = /(\[\d*\])+$/;

/** Type names the mapping accepts (plus `(…)` modifiers and a `[]` suffix or `_` prefix for arrays). */
export const KNOWN_TYPE_NAMES: readonly string[] = Object.keys(FAMILIES);

/** Parses a declared type; undefined when the name is not one the mapping knows. */
export function parseColumnType(declared: string): ColumnType | undefined {
  let name = declared.toLowerCase().replace(MODIFIERS, '').replace(SPACES, ' ').trim();
  let array = false;
  if (ARRAY_SUFFIX.test(name)) {
    array = true;
    name = name.replace(ARRAY_SUFFIX, '').trim();
  } else if (name.startsWith('_') && FAMILIES[name.slice(1)]) {
    // information_schema's udt_name spells int4[] as _int4.
    array = true;
    name = name.slice(1);
  }
  const family = Object.prototype.hasOwnProperty.call(FAMILIES, name) ? FAMILIES[name] : undefined;
  return family ? { declared, family, array } : undefined;
}

/** Families whose rendered text can never be empty (a key built only from them is never empty). */
export function neverRendersEmpty(type: ColumnType | undefined): boolean {
  return type !== undefined && !type.array && !['text', 'enum', 'json', 'bytes'].includes(type.family);
}

/** Families a TTL rule can start from. */
export function isTtlSource(type: ColumnType): boolean {
  return !type.array && ['date', 'timestamp', 'timestamptz', 'integer'].includes(type.family);
}
