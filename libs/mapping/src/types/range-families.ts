import { MappingErrorCode, valueError, type ValueLocation } from '../mapping-error';
import type { PgValue } from '../values/pg-value';
import { formatPgTimestamp, parseTimestamp } from '../values/temporal-format';
import type { TypeFamily } from './type-family';
import { expectDebeziumString, expectPgString, reword, wrongForm } from './value-text';

/*
 * Range types as `S`: their canonical text, which is Postgres's own output (`[1,10)`, `empty`,
 * `(,5]`, `["2024-01-01 10:00:00","2024-01-02 00:00:00")`). Debezium sends ranges as that text
 * (plain string fields); Postgres already canonicalises discrete ranges (int4range, int8range,
 * daterange) to `[a,b)`. Only tstzrange depends on the session: its bounds print in the session's
 * time zone, so they are rewritten in UTC (`+00`), as Postgres prints them with TimeZone = UTC.
 */

const RANGE_SHAPE = /^[[(][^]*,[^]*[\])]$/;
const QUOTE_BOUND = /[\s"\\(),[\]]/;

/** int4range, int8range, numrange, daterange, tsrange: `S`, the text Postgres prints. */
export const RANGE_FAMILY: TypeFamily = {
  name: 'range',
  aliases: ['int4range', 'int8range', 'numrange', 'daterange', 'tsrange'],
  form: 'S',
  fromPostgres: (raw, type, where) => rangeFromText(expectPgString(raw, where, type), where),
  fromAttribute: (value, type, _options, where) => ('S' in value ? reword(() => rangeFromText(value.S, where), where, value.S) : wrongForm(value, type, 'S', where)),
  checks: [],
  keyNeverEmpty: true,
  ttlSource: false,
  temporal: false,
};

/** tstzrange: `S`, Postgres's text with both bounds in UTC (`["2024-01-01 04:30:00+00",infinity)`). */
export const TSTZRANGE_FAMILY: TypeFamily = {
  name: 'tstzrange',
  aliases: ['tstzrange'],
  form: 'S',
  fromPostgres: (raw, type, where) => tstzrangeFromText(expectPgString(raw, where, type), where),
  fromDebezium: (raw, schema, where) => (schema.type === 'string' ? tstzrangeFromText(expectDebeziumString(raw, where), where) : undefined),
  debeziumSourceTypes: ['TSTZRANGE'],
  fromAttribute: (value, type, _options, where) => ('S' in value ? reword(() => tstzrangeFromText(value.S, where), where, value.S) : wrongForm(value, type, 'S', where)),
  checks: [],
  keyNeverEmpty: true,
  ttlSource: false,
  temporal: false,
  inverseWarning: 'comes back with its bounds in UTC (+00)',
};

function rangeFromText(text: string, where: ValueLocation): PgValue {
  if (text !== 'empty' && !RANGE_SHAPE.test(text)) return valueError(MappingErrorCode.ValueInvalid, where, `${JSON.stringify(text)} is not a range`, text);
  return { kind: 'text', text };
}

/** A tstzrange's text with each bound as Postgres prints it in UTC. */
export function tstzrangeFromText(text: string, where: ValueLocation): PgValue {
  if (text === 'empty') return { kind: 'text', text };
  const range = parseRange(text);
  if (!range) return valueError(MappingErrorCode.ValueInvalid, where, `${JSON.stringify(text)} is not a range`, text);
  const bound = (value: string | undefined): string => {
    if (value === undefined) return '';
    if (value === 'infinity' || value === '-infinity') return value;
    const parsed = parseTimestamp(value);
    if (!parsed.ok) return valueError(MappingErrorCode.ValueInvalid, where, `range bound ${parsed.problem}`, text);
    const printed = formatPgTimestamp(parsed.value, '+00', true);
    return QUOTE_BOUND.test(printed) ? `"${printed}"` : printed;
  };
  return { kind: 'text', text: `${range.lowerInclusive ? '[' : '('}${bound(range.lower)},${bound(range.upper)}${range.upperInclusive ? ']' : ')'}` };
}

interface ParsedRange {
  lowerInclusive: boolean;
  upperInclusive: boolean;
  /** Undefined: unbounded. */
  lower: string | undefined;
  upper: string | undefined;
}

/** Splits Postgres range text (`[a,b)`, bounds optionally double-quoted with `\` or `""` escapes). */
function parseRange(text: string): ParsedRange | undefined {
  const open = text[0];
  const close = text[text.length - 1];
  if ((open !== '[' && open !== '(') || (close !== ']' && close !== ')')) return undefined;
  const bounds: Array<string | undefined> = [];
  let at = 1;
  for (const last of [false, true]) {
    const limit = last ? text.length - 1 : text.length;
    let value = '';
    let quoted = false;
    let inQuote = false;
    for (; at < limit; at++) {
      const ch = text[at]!;
      if (ch === '\\') value += text[++at] ?? '';
      else if (inQuote && ch === '"' && text[at + 1] === '"') value += text[++at];
      else if (ch === '"') [inQuote, quoted] = [!inQuote, true];
      else if (!inQuote && !last && ch === ',') break;
      else value += ch;
    }
    if (inQuote || (!last && text[at] !== ',')) return undefined;
    bounds.push(value === '' && !quoted ? undefined : value);
    at++;
  }
  return { lowerInclusive: open === '[', upperInclusive: close === ']', lower: bounds[0], upper: bounds[1] };
}
