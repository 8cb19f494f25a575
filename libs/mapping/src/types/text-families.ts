import { attributeToJson } from '../values/attribute-json';
import { describeRaw } from '../values/decimal-number';
import { MappingErrorCode, valueError, type ValueLocation } from '../mapping-error';
import type { PgValue } from '../values/pg-value';
import { PLAIN_FAMILY, type RefusedType, type TypeFamily } from './type-family';
import { expectDebeziumString, expectPgString, wrongForm } from './value-text';

const text: TypeFamily['fromPostgres'] = (raw, type, where) => ({ kind: 'text', text: expectPgString(raw, where, type) });
const textAttribute: TypeFamily['fromAttribute'] = (value, type, _options, where) => ('S' in value ? { kind: 'text', text: value.S } : wrongForm(value, type, 'S', where));
/** Families whose value is their text, `S` both ways. */
const TEXT_LIKE = { ...PLAIN_FAMILY, form: 'S', fromPostgres: text, fromAttribute: textAttribute, group: 'text' } as const;

/** Character types and the types whose text is their exact form (inet, macaddr8, ltree, …): `S`. */
export const TEXT_FAMILY: TypeFamily = {
  name: 'text',
  aliases: [
    'text',
    'varchar',
    'character varying',
    'char',
    'character',
    'bpchar',
    'citext',
    'name',
    'inet',
    'cidr',
    'macaddr',
    'macaddr8',
    'xml',
    // ltree arrives as its Postgres text (io.debezium.data.Ltree).
    'ltree',
  ],
  ...TEXT_LIKE,
};

/** uuid: `S`, lower-case hex as Postgres prints it. */
export const UUID_FAMILY: TypeFamily = {
  name: 'uuid',
  aliases: ['uuid'],
  ...TEXT_LIKE,
  keyNeverEmpty: true,
  keyAlphabet: /^[0-9a-fA-F-]$/,
};

/** A user enum (declared `enum`): its label as `S`. */
export const ENUM_FAMILY: TypeFamily = {
  name: 'enum',
  aliases: ['enum'],
  ...TEXT_LIKE,
};

/** json and jsonb: a native map/list (`json: map`) or the text (`json: string`). */
export const JSON_FAMILY: TypeFamily = {
  name: 'json',
  aliases: ['json', 'jsonb'],
  form: 'json',
  fromPostgres: (raw) => ({ kind: 'json', text: typeof raw === 'string' ? raw : JSON.stringify(raw) }),
  fromDebezium: (raw, schema, where) => (schema.type === 'string' ? { kind: 'json', text: expectDebeziumString(raw, where) } : undefined),
  debeziumNames: { 'io.debezium.data.Json': (raw, _schema, where) => ({ kind: 'json', text: expectDebeziumString(raw, where) }) },
  fromAttribute: (value, type, options, where) => {
    if (options.json === 'string') return 'S' in value ? { kind: 'json', text: value.S } : wrongForm(value, type, 'S (json: string)', where);
    return { kind: 'json', text: attributeToJson(value, where) };
  },
  checks: [],
  keyNeverEmpty: false,
  ttlSource: false,
  temporal: false,
};

/** bytea: `B`. */
export const BYTES_FAMILY: TypeFamily = {
  name: 'bytes',
  aliases: ['bytea'],
  form: 'B',
  fromPostgres: (raw, _type, where) => decodeBytes(raw, where),
  fromAttribute: (value, type, _options, where) => ('B' in value ? { kind: 'bytes', base64: value.B } : wrongForm(value, type, 'B', where)),
  checks: [],
  keyNeverEmpty: false,
  ttlSource: false,
  temporal: false,
};

/** bytea as `pg` returns it (a Buffer) or as its `\x` hex text. */
export function decodeBytes(raw: unknown, where: ValueLocation): PgValue {
  if (raw instanceof Uint8Array) return { kind: 'bytes', base64: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64') };
  if (typeof raw === 'string' && raw.startsWith('\\x')) return { kind: 'bytes', base64: Buffer.from(raw.slice(2), 'hex').toString('base64') };
  return valueError(MappingErrorCode.ValueInvalid, where, `expected bytea as a Buffer or \\x hex text, got ${describeRaw(raw)}`);
}

/** Why tsvector is refused (validate, the mapping and the docs say it). */
export const TSVECTOR_REFUSED: RefusedType = {
  aliases: ['tsvector'],
  reason:
    'Debezium 3.2 has no converter for tsvector and leaves the column out of every change event; store its text in a text column (e.g. a generated column) or exclude it',
};
