import type { AttributeValue, ConnectSchema } from '@pg2ddb/contracts';

import type { EncodeOptions } from '../values/attribute-encoder';
import type { ValueLocation } from '../mapping-error';
import type { PgParam } from '../values/pg-param';
import type { PgValue } from '../values/pg-value';

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
  | 'hstore'
  | 'bytes'
  | 'date'
  | 'time'
  | 'timetz'
  | 'timestamp'
  | 'timestamptz'
  | 'interval'
  | 'bit'
  | 'range'
  | 'tstzrange';

export interface ColumnType {
  /** The type as declared, e.g. `numeric(12,2)`. */
  declared: string;
  family: ColumnFamily;
  /** True for an array of `family` (of any number of dimensions). */
  array: boolean;
}

/** The attribute a scalar of the family becomes (`json` follows the column's `json` option). */
export type ScalarForm = 'N' | 'S' | 'B' | 'BOOL' | 'json';

/** The per-row checks `pg2ddb validate` runs on a column of the family (apps/cli source-data-checks). */
export type SourceCheck = 'date-range' | 'number-range' | 'float-range' | 'array-dimensions';

/** Decodes one Debezium field of a named Connect schema (e.g. `io.debezium.time.Date`). */
export type DebeziumDecoder = (raw: unknown, schema: ConnectSchema, where: ValueLocation) => PgValue;

/**
 * Everything pg2ddb knows about one family of Postgres types, in one place: the names that
 * belong to it, how each path turns a value into `PgValue` (the reconciler's Postgres text, the
 * transformer's Debezium field, the way back's attribute), how it goes back into Postgres, how the
 * reconciler selects it and which checks `validate` runs. `type-registry.ts` lists the families;
 * every other module asks the registry instead of keeping its own list.
 */
export interface TypeFamily {
  readonly name: ColumnFamily;
  /** Type names (SQL spellings and `udt_name`s) of the family; arrays are `name[]` or `_name`. */
  readonly aliases: readonly string[];
  /** The attribute a scalar becomes, so also the key attribute type (`N`, `B`) it can fill alone. */
  readonly form: ScalarForm;
  /** The reconciler's path: a non-null scalar as `pg` returns it (text for most types). */
  readonly fromPostgres: (raw: unknown, type: ColumnType, where: ValueLocation) => PgValue;
  /**
   * The transformer's path for a declared (or source-typed) column whose Connect schema alone
   * cannot say what it is, e.g. a string-mode numeric; undefined: the schema decides.
   */
  readonly fromDebezium?: (raw: unknown, schema: ConnectSchema, where: ValueLocation) => PgValue | undefined;
  /** Connect schema names only this family's columns produce, with their decoders. */
  readonly debeziumNames?: Readonly<Record<string, DebeziumDecoder>>;
  /** Values of Debezium's `__debezium.source.column.type` parameter that mean this family. */
  readonly debeziumSourceTypes?: readonly string[];
  /** The way back: a scalar attribute (never NULL) as the column's value. */
  readonly fromAttribute: (value: AttributeValue, type: ColumnType, options: EncodeOptions, where: ValueLocation) => PgValue;
  /** The way back: the Postgres input text when the generic form (`toPgParam`) is not the right one. */
  readonly toParam?: (value: PgValue) => PgParam | undefined;
  /** SQL the reconciler selects a column of this `udt_name` with, when plain text is not exact (money). */
  readonly selectSql?: (ref: string, udtName: string) => string | undefined;
  readonly checks: readonly SourceCheck[];
  /** The rendered key text is never empty (a key of only such columns needs no literal). */
  readonly keyNeverEmpty: boolean;
  /** Characters the key text can contain, for the way back's ambiguity check; undefined: any. */
  readonly keyAlphabet?: RegExp;
  /** A TTL rule can start from it. */
  readonly ttlSource: boolean;
  /** A point in time: `snapshot --from/--to` can slice on it and `validate` checks its range. */
  readonly temporal: boolean;
  /** Families with the same group convert alike: a declaration of one fits a live column of another. */
  readonly group?: string;
  /** What the way back cannot restore exactly (said once per column when the inverse is compiled). */
  readonly inverseWarning?: string;
}

/** What most families share: no value checks, key text that may be empty, neither a TTL source nor a point in time. */
export const PLAIN_FAMILY = { checks: [], keyNeverEmpty: false, ttlSource: false, temporal: false } as const;

/** A type name the mapping knows but refuses, with the reason (`validate` and the mapping say it). */
export interface RefusedType {
  readonly aliases: readonly string[];
  readonly reason: string;
}
