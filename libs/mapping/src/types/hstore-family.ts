import { MappingErrorCode, valueError, type ValueLocation } from '../mapping-error';
import { JSON_FAMILY } from './text-families';
import type { TypeFamily } from './type-family';
import { expectPgString, readQuoted } from './value-text';

/**
 * hstore: a json object of strings (and nulls), as Debezium sends it with the shipped
 * `hstore.handling.mode=json` (an `io.debezium.data.Json` field, `{"a":"1","b":null}`); the
 * reconciler reads Postgres's text (`"a"=>"1", "b"=>NULL`) and turns it into the same object, and
 * the way back writes that text again.
 */
export const HSTORE_FAMILY: TypeFamily = {
  name: 'hstore',
  aliases: ['hstore'],
  form: 'json',
  fromPostgres: (raw, type, where) => ({ kind: 'json', text: hstoreToJson(expectPgString(raw, where, type), where) }),
  fromDebezium: JSON_FAMILY.fromDebezium,
  fromAttribute: JSON_FAMILY.fromAttribute,
  toParam: (value) => (value.kind === 'json' ? jsonToHstore(value.text) : undefined),
  checks: [],
  keyNeverEmpty: false,
  ttlSource: false,
  temporal: false,
};

/** Postgres hstore text to the JSON object text Debezium sends (keys in hstore's order). */
export function hstoreToJson(text: string, where: ValueLocation): string {
  const entries: string[] = [];
  const seen = new Set<string>();
  let at = 0;
  const invalid = (): never => valueError(MappingErrorCode.ValueInvalid, where, `${JSON.stringify(text)} is not hstore text`, text);
  const skipSpace = () => {
    while (at < text.length && /\s/.test(text[at]!)) at++;
  };
  const token = (): string | null => {
    skipSpace();
    if (text[at] === '"') {
      const quoted = readQuoted(text, at) ?? invalid();
      at = quoted.end;
      return quoted.value;
    }
    const start = at;
    while (at < text.length && !/[\s,=]/.test(text[at]!)) at++;
    const bare = text.slice(start, at);
    if (bare === '') return invalid();
    return bare.toUpperCase() === 'NULL' ? null : bare;
  };
  skipSpace();
  while (at < text.length) {
    const key = token();
    if (key === null) return invalid();
    skipSpace();
    if (!text.startsWith('=>', at)) return invalid();
    at += 2;
    const value = token();
    // Postgres keeps the first of duplicate keys.
    if (!seen.has(key)) entries.push(`${JSON.stringify(key)}:${value === null ? 'null' : JSON.stringify(value)}`);
    seen.add(key);
    skipSpace();
    if (at < text.length) {
      if (text[at] !== ',') return invalid();
      at++;
      skipSpace();
    }
  }
  return `{${entries.join(',')}}`;
}

/** A JSON object of strings and nulls as hstore input text; undefined for anything else (Postgres then refuses it). */
function jsonToHstore(json: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const quote = (text: string) => `"${text.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`;
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (value !== null && typeof value !== 'string') return undefined;
    pairs.push(`${quote(key)}=>${value === null ? 'NULL' : quote(value)}`);
  }
  return pairs.join(', ');
}
