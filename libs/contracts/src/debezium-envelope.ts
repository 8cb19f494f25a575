/**
 * The Debezium change event as the JsonConverter writes it with `schemas.enable=true`:
 * `{ schema, payload }`. The schema tells the semantic type of every column
 * (e.g. `io.debezium.time.MicroTimestamp`), which is what lets the mapping convert exactly.
 */
export interface ConnectSchema {
  /** The JsonConverter writes FLOAT32/FLOAT64 as `float`/`double`; the Connect names are accepted too. */
  type: 'int8' | 'int16' | 'int32' | 'int64' | 'float' | 'double' | 'float32' | 'float64' | 'boolean' | 'string' | 'bytes' | 'array' | 'map' | 'struct';
  optional?: boolean;
  name?: string;
  version?: number;
  field?: string;
  parameters?: Record<string, string>;
  default?: unknown;
  fields?: ConnectSchema[];
  items?: ConnectSchema;
  keys?: ConnectSchema;
  values?: ConnectSchema;
}

/** Debezium PostgreSQL `source` block (the fields pg2ddb relies on). */
export interface DebeziumSource {
  version?: string;
  connector?: string;
  name?: string;
  ts_ms: number;
  /** `"true"`, `"last"`, `"first"`, `"incremental"`, `"false"` (or boolean in some versions). */
  snapshot?: string | boolean;
  db: string;
  /** JSON array `[lastCommitLsn, lsn]` as strings (null entries possible). */
  sequence?: string | null;
  schema: string;
  table: string;
  txId?: number | null;
  lsn?: number | null;
  xmin?: number | null;
}

export type DebeziumOp = 'c' | 'r' | 'u' | 'd' | 't' | 'm';

export type Row = Record<string, unknown>;

export interface DebeziumPayload {
  before: Row | null;
  after: Row | null;
  source: DebeziumSource;
  op: DebeziumOp;
  ts_ms?: number;
  transaction?: { id: string; total_order: number; data_collection_order: number } | null;
}

export interface DebeziumEnvelope {
  schema?: ConnectSchema;
  payload: DebeziumPayload;
}

/** Debezium's marker for an unchanged TOASTed column it could not read (no REPLICA IDENTITY FULL). */
export const UNAVAILABLE_VALUE_PLACEHOLDER = '__debezium_unavailable_value';
