import type { ConnectSchema } from '@pg2ddb/contracts';

import { MappingErrorCode, valueError, type ValueLocation } from '../mapping-error';
import type { PgValue } from '../values/pg-value';
import type { RefusedType, TypeFamily } from './type-family';
import { expectDebeziumString, expectPgString, reword, wrongForm } from './value-text';

const BITS = /^[01]+$/;
const SOURCE_TYPE_PARAMETER = '__debezium.source.column.type';

/**
 * bit(n): `S`, the bit string as Postgres prints it (`00010110`), exactly n characters. Debezium
 * sends bit(1) as a boolean and bit(n > 1) as `io.debezium.data.Bits` bytes: a little-endian bit
 * set (the string's last character is bit 0) cut after its highest set bit, with n in the schema's
 * `length` parameter — so leading zeros come back from n. The source type parameter (the shipped
 * `datatype.propagate.source.type`) tells bit(n) from varbit, which shares the schema.
 */
export const BIT_FAMILY: TypeFamily = {
  name: 'bit',
  aliases: ['bit'],
  form: 'S',
  fromPostgres: (raw, type, where) => bitsFromText(expectPgString(raw, where, type), where),
  fromDebezium: (raw, schema) => (schema.type === 'boolean' && typeof raw === 'boolean' ? { kind: 'text', text: raw ? '1' : '0' } : undefined),
  debeziumNames: { 'io.debezium.data.Bits': bitsFromDebezium },
  debeziumSourceTypes: ['BIT'],
  fromAttribute: (value, type, _options, where) => ('S' in value ? reword(() => bitsFromText(value.S, where), where, value.S) : wrongForm(value, type, 'S', where)),
  checks: [],
  keyNeverEmpty: true,
  keyAlphabet: /^[01]$/,
  ttlSource: false,
  temporal: false,
};

/** Why varbit is refused (validate, the mapping and the transformer say it). */
export const VARBIT_REFUSED: RefusedType = {
  aliases: ['varbit', 'bit varying'],
  reason:
    "Debezium sends bit varying as a bit set cut after its highest set bit, without the value's length, so leading zeros are lost (B'0011' and B'11' arrive the same); store it as text in a view or generated column, or exclude the column",
};

function bitsFromText(text: string, where: ValueLocation): PgValue {
  if (!BITS.test(text)) return valueError(MappingErrorCode.ValueInvalid, where, `${JSON.stringify(text)} is not a bit string of 0s and 1s`, text);
  return { kind: 'text', text };
}

function bitsFromDebezium(raw: unknown, schema: ConnectSchema, where: ValueLocation): PgValue {
  const sourceType = schema.parameters?.[SOURCE_TYPE_PARAMETER]?.toUpperCase();
  if (sourceType === 'VARBIT') return valueError(MappingErrorCode.UnsupportedType, where, `varbit cannot be carried exactly: ${VARBIT_REFUSED.reason}`);
  if (sourceType !== 'BIT') {
    return valueError(
      MappingErrorCode.UnsupportedType,
      where,
      'a Bits field without its source type could be bit(n) or varbit: set datatype.propagate.source.type to include .+\\.bit and .+\\.varbit (the shipped connector configuration does)',
    );
  }
  const length = Number(schema.parameters?.length);
  if (!Number.isSafeInteger(length) || length < 1) return valueError(MappingErrorCode.ValueInvalid, where, `Bits field has no usable length parameter (${String(schema.parameters?.length)})`);
  const bytes = Buffer.from(expectDebeziumString(raw, where), 'base64');
  for (let bit = length; bit < bytes.length * 8; bit++) {
    if ((bytes[bit >> 3]! >> (bit & 7)) & 1) return valueError(MappingErrorCode.ValueInvalid, where, `Bits value has a bit set beyond its length ${length}`);
  }
  let text = '';
  // Character i of bit(n) is bit n-1-i of the little-endian set.
  for (let bit = length - 1; bit >= 0; bit--) text += ((bytes[bit >> 3] ?? 0) >> (bit & 7)) & 1 ? '1' : '0';
  return { kind: 'text', text };
}
