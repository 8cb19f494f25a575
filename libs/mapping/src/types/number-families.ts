import { decimalOrThrow, decimalTextOrThrow, describeRaw, floatOrThrow, integerOrThrow } from '../values/decimal-number';
import { MappingErrorCode, valueError, type ValueLocation } from '../mapping-error';
import type { PgValue } from '../values/pg-value';
import type { TypeFamily } from './type-family';
import { expectDebeziumString, numberText, wrongForm } from './value-text';

const INTEGER = /^-?\d+$/;
const NUMBER_KEY_TEXT = /^[0-9.\-E+]$/;

/** smallint … bigint, serials and oid: `N` with their exact digits. */
export const INTEGER_FAMILY: TypeFamily = {
  name: 'integer',
  aliases: ['smallint', 'int2', 'integer', 'int', 'int4', 'bigint', 'int8', 'smallserial', 'serial2', 'serial', 'serial4', 'bigserial', 'serial8', 'oid'],
  form: 'N',
  fromPostgres: (raw, _type, where) => ({ kind: 'number', text: integerOrThrow(raw, where) }),
  fromAttribute: (value, type, _options, where) => {
    if (!('N' in value)) return wrongForm(value, type, 'N', where);
    if (!INTEGER.test(value.N)) return valueError(MappingErrorCode.ItemInvalid, where, `${value.N} is not an integer; a ${type.declared} column needs one`, value.N);
    return { kind: 'number', text: value.N };
  },
  checks: [],
  keyNeverEmpty: true,
  keyAlphabet: NUMBER_KEY_TEXT,
  ttlSource: true,
  temporal: false,
  group: 'exact-number',
};

/** numeric, decimal and money: `N` in canonical form, never rounded. */
export const NUMERIC_FAMILY: TypeFamily = {
  name: 'numeric',
  aliases: ['numeric', 'decimal', 'money'],
  form: 'N',
  fromPostgres: (raw, _type, where) => ({ kind: 'number', text: decimalTextOrThrow(raw, where) }),
  // decimal.handling.mode=string: a plain string field, told from text only by the declaration or
  // the source type parameter.
  fromDebezium: (raw, schema, where) => (schema.type === 'string' ? { kind: 'number', text: decimalTextOrThrow(expectDebeziumString(raw, where), where) } : undefined),
  debeziumSourceTypes: ['NUMERIC', 'DECIMAL', 'MONEY'],
  debeziumNames: {
    'org.apache.kafka.connect.data.Decimal': (raw, schema, where) => ({
      kind: 'number',
      text: decimalOrThrow(`${unscaled(raw, where)}e-${schema.parameters?.scale ?? '0'}`, where),
    }),
    'io.debezium.data.VariableScaleDecimal': variableScaleDecimal,
  },
  fromAttribute: (value, type, _options, where) => ('N' in value ? { kind: 'number', text: numberText(value.N, where) } : wrongForm(value, type, 'N', where)),
  // money's text follows lc_monetary: read it as numeric, which the mapping expects anyway.
  selectSql: (ref, udtName) => (udtName === 'money' ? `${ref}::numeric` : undefined),
  checks: ['number-range'],
  keyNeverEmpty: true,
  keyAlphabet: NUMBER_KEY_TEXT,
  ttlSource: false,
  temporal: false,
  group: 'exact-number',
};

/** real and double precision: `N`, the shortest round-trip decimal of the double. */
export const FLOAT_FAMILY: TypeFamily = {
  name: 'float',
  aliases: ['real', 'float4', 'double precision', 'float8', 'float'],
  form: 'N',
  fromPostgres: (raw, _type, where) => ({ kind: 'number', text: floatOrThrow(raw, where) }),
  fromAttribute: (value, type, _options, where) => ('N' in value ? { kind: 'number', text: numberText(value.N, where) } : wrongForm(value, type, 'N', where)),
  checks: ['float-range'],
  keyNeverEmpty: true,
  keyAlphabet: NUMBER_KEY_TEXT,
  ttlSource: false,
  temporal: false,
};

/** boolean: `BOOL`. */
export const BOOLEAN_FAMILY: TypeFamily = {
  name: 'boolean',
  aliases: ['boolean', 'bool'],
  form: 'BOOL',
  fromPostgres: decodeBoolean,
  fromAttribute: (value, type, _options, where) => ('BOOL' in value ? { kind: 'boolean', value: value.BOOL } : wrongForm(value, type, 'BOOL', where)),
  checks: [],
  keyNeverEmpty: true,
  keyAlphabet: /^[truefals]$/,
  ttlSource: false,
  temporal: false,
};

function decodeBoolean(raw: unknown, _type: unknown, where: ValueLocation): PgValue {
  if (typeof raw === 'boolean') return { kind: 'boolean', value: raw };
  if (raw === 't' || raw === 'true') return { kind: 'boolean', value: true };
  if (raw === 'f' || raw === 'false') return { kind: 'boolean', value: false };
  return valueError(MappingErrorCode.ValueInvalid, where, `${describeRaw(raw)} is not a boolean`);
}

/** Decodes a base64 two's-complement big-endian integer (Connect's Decimal encoding). */
function unscaled(raw: unknown, where: ValueLocation): string {
  const bytes = Buffer.from(expectDebeziumString(raw, where), 'base64');
  if (bytes.length === 0) return '0';
  let value = BigInt(`0x${bytes.toString('hex')}`);
  if (bytes[0]! & 0x80) value -= 1n << BigInt(bytes.length * 8);
  return value.toString();
}

function variableScaleDecimal(raw: unknown, _schema: unknown, where: ValueLocation): PgValue {
  const struct = raw as { scale?: unknown; value?: unknown };
  if (typeof struct !== 'object' || typeof struct.scale !== 'number') {
    return valueError(MappingErrorCode.ValueInvalid, where, 'VariableScaleDecimal needs {scale, value}', raw);
  }
  return { kind: 'number', text: decimalOrThrow(`${unscaled(struct.value, where)}e-${struct.scale}`, where) };
}
