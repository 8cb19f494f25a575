import type { ConnectSchema, DebeziumEnvelope, DebeziumOp, Row, SourceCoordinates } from '@pg2ddb/contracts';

/** Connect field schemas as the Debezium PostgreSQL connector writes them with pg2ddb's settings. */
export const field = {
  int16: (name: string): ConnectSchema => ({ type: 'int16', optional: true, field: name }),
  int32: (name: string): ConnectSchema => ({ type: 'int32', optional: true, field: name }),
  int64: (name: string): ConnectSchema => ({ type: 'int64', optional: true, field: name }),
  float32: (name: string): ConnectSchema => ({ type: 'float32', optional: true, field: name }),
  float64: (name: string): ConnectSchema => ({ type: 'float64', optional: true, field: name }),
  boolean: (name: string): ConnectSchema => ({ type: 'boolean', optional: true, field: name }),
  /** text, varchar, and numeric with decimal.handling.mode=string (no name: indistinguishable). */
  string: (name: string): ConnectSchema => ({ type: 'string', optional: true, field: name }),
  bytes: (name: string): ConnectSchema => ({ type: 'bytes', optional: true, field: name }),
  named: (type: ConnectSchema['type'], semantic: string, name: string): ConnectSchema => ({
    type,
    optional: true,
    name: semantic,
    version: 1,
    field: name,
  }),
  date: (name: string) => field.named('int32', 'io.debezium.time.Date', name),
  microTime: (name: string) => field.named('int64', 'io.debezium.time.MicroTime', name),
  timestampMs: (name: string) => field.named('int64', 'io.debezium.time.Timestamp', name),
  microTimestamp: (name: string) => field.named('int64', 'io.debezium.time.MicroTimestamp', name),
  zonedTimestamp: (name: string) => field.named('string', 'io.debezium.time.ZonedTimestamp', name),
  zonedTime: (name: string) => field.named('string', 'io.debezium.time.ZonedTime', name),
  interval: (name: string) => field.named('string', 'io.debezium.time.Interval', name),
  uuid: (name: string) => field.named('string', 'io.debezium.data.Uuid', name),
  json: (name: string) => field.named('string', 'io.debezium.data.Json', name),
  enum: (name: string): ConnectSchema => ({ ...field.named('string', 'io.debezium.data.Enum', name), parameters: { allowed: 'a,b' } }),
  array: (name: string, items: ConnectSchema): ConnectSchema => ({ type: 'array', optional: true, items: { ...items, field: undefined }, field: name }),
};

export interface EventSpec {
  op: DebeziumOp;
  schema?: string;
  table: string;
  fields: ConnectSchema[];
  before?: Row | null;
  after?: Row | null;
}

/** A change event with `schema` and `payload`, as the JsonConverter (schemas.enable=true) writes it. */
export function envelope(spec: EventSpec): DebeziumEnvelope {
  const schemaName = spec.schema ?? 'public';
  const row: ConnectSchema = { type: 'struct', optional: true, name: `pg.${schemaName}.${spec.table}.Value`, fields: spec.fields };
  return {
    schema: {
      type: 'struct',
      name: `pg.${schemaName}.${spec.table}.Envelope`,
      fields: [
        { ...row, field: 'before' },
        { ...row, field: 'after' },
        { type: 'struct', field: 'source', fields: [] },
        { type: 'string', field: 'op' },
      ],
    },
    payload: {
      before: spec.before ?? null,
      after: spec.after ?? null,
      op: spec.op,
      source: { ts_ms: 1709287200000, db: 'shop', schema: schemaName, table: spec.table, lsn: 1234, txId: 77, snapshot: 'false' },
    },
  };
}

export const source: SourceCoordinates = {
  topic: 'pg.public.payments',
  partition: 0,
  offset: '42',
  schema: 'public',
  table: 'payments',
  lsn: '1234',
  txId: '77',
  snapshot: false,
  committedAtMs: 1709287200000,
};

export const VERSION = '00000000000004d2000000000000002a';
export const context = { version: VERSION, source };
