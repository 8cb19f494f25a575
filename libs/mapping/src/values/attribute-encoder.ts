import type { AttributeValue } from '@pg2ddb/contracts';

import { normalizeDecimal } from './decimal-number';
import { JsonNumber, JsonSyntaxError, parseJsonNodes, type JsonNode } from './lossless-json';
import { MappingErrorCode, valueError, type ValueLocation } from '../mapping-error';
import { scalarText, type PgValue } from './pg-value';

/** How one column becomes an attribute (entity defaults, overridable per column). */
export interface EncodeOptions {
  /** `omit`: a NULL column leaves no attribute; `null`: it is stored as `{NULL: true}`. */
  nulls: 'omit' | 'null';
  /** `map`: json/jsonb becomes native M/L/N/S/BOOL/NULL; `string`: its text as S. */
  json: 'map' | 'string';
  /** `list`: arrays become L; `set`: SS/NS/BS (deduplicated; an empty array leaves no attribute). */
  arrays: 'list' | 'set';
}

/**
 * The DynamoDB value of a column, or undefined when the attribute should be absent (NULL with
 * `nulls: omit`, an empty array with `arrays: set`). Throws a `MappingError` for a value DynamoDB
 * cannot hold. Never called with `unavailable` (the caller leaves such attributes untouched).
 */
export function encodeAttribute(value: PgValue, options: EncodeOptions, where: ValueLocation): AttributeValue | undefined {
  switch (value.kind) {
    case 'null':
      return options.nulls === 'null' ? { NULL: true } : undefined;
    case 'json':
      return options.json === 'string' ? { S: value.text } : (jsonToAttributeFast(value.text) ?? jsonToAttribute(parseJson(value.text, where), where, '$'));
    case 'array':
      return options.arrays === 'set' ? encodeSet(value.items, where) : { L: encodeList(value.items, options, where) };
    case 'unavailable':
      throw new Error(`bug: unavailable value of ${where.entity}.${where.column} reached the encoder`);
    default:
      return encodeScalar(value);
  }
}

function encodeScalar(value: PgValue): AttributeValue {
  if (value.kind === 'number') return { N: value.text };
  if (value.kind === 'boolean') return { BOOL: value.value };
  if (value.kind === 'bytes') return { B: value.base64 };
  return { S: scalarText(value) as string };
}

function encodeList(items: readonly PgValue[], options: EncodeOptions, where: ValueLocation): AttributeValue[] {
  return items.map((item, index) => {
    const at = { ...where, path: `${where.path ?? '$'}[${index}]` };
    // Inside a list a NULL keeps its position, whatever `nulls` says.
    if (item.kind === 'null') return { NULL: true };
    return encodeAttribute(item, { ...options, arrays: 'list' }, at) as AttributeValue;
  });
}

function encodeSet(items: readonly PgValue[], where: ValueLocation): AttributeValue | undefined {
  if (items.length === 0) return undefined;
  const first = items[0]!.kind;
  const setKind = first === 'number' ? 'NS' : first === 'bytes' ? 'BS' : 'SS';
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const at = { ...where, path: `${where.path ?? '$'}[${index}]` };
    if (item.kind === 'null') valueError(MappingErrorCode.SetInvalid, at, 'a DynamoDB set cannot hold NULL; use arrays: list for this column');
    const text = scalarText(item);
    const kind = item.kind === 'number' ? 'NS' : item.kind === 'bytes' ? 'BS' : 'SS';
    if (text === undefined || item.kind === 'boolean' || kind !== setKind) {
      valueError(MappingErrorCode.SetInvalid, at, `a ${item.kind} element cannot go into a DynamoDB ${setKind}; use arrays: list for this column`);
    }
    seen.add(text);
  });
  // DynamoDB rejects duplicates in a set; Postgres arrays may have them. Order is not kept by DynamoDB.
  const values = [...seen];
  return setKind === 'NS' ? { NS: values } : setKind === 'BS' ? { BS: values } : { SS: values };
}

/** A json/jsonb value as a native attribute through the exact parser only (the reference the fast path is tested against). */
export function jsonTextToAttributeExact(text: string, where: ValueLocation): AttributeValue {
  return jsonToAttribute(parseJson(text, where), where, '$');
}

function parseJson(text: string, where: ValueLocation): JsonNode {
  try {
    return parseJsonNodes(text);
  } catch (error) {
    const reason = error instanceof JsonSyntaxError ? error.message : String(error);
    return valueError(MappingErrorCode.ValueInvalid, where, `value is not valid JSON (${reason})`, text);
  }
}

// A number literal with 16+ significant digits, or an exponent of 3+ digits (near or beyond the
// double range): `JSON.parse` could round it. Conservative: also matches such runs inside strings.
const LOSSY_NUMBER = /\d[\d.]{15,}|[eE][+-]?\d{3}/;

/**
 * The document through `JSON.parse` when that is exact, else undefined (the exact parser then
 * decides, errors included). A literal with at most 15 significant digits and a small exponent
 * becomes the nearest double, whose shortest text (`String`) is the same decimal value (15 digits
 * always survive the round trip), so its canonical text is the literal's. Any number the
 * canonical form refuses is left to the exact path, which words the error with the literal.
 */
function jsonToAttributeFast(text: string): AttributeValue | undefined {
  if (LOSSY_NUMBER.test(text)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  return plainToAttribute(parsed);
}

function plainToAttribute(value: unknown): AttributeValue | undefined {
  if (value === null) return { NULL: true };
  switch (typeof value) {
    case 'string':
      return { S: value };
    case 'boolean':
      return { BOOL: value };
    case 'number': {
      const result = normalizeDecimal(String(value));
      return result.ok ? { N: result.canonical } : undefined;
    }
    case 'object': {
      if (Array.isArray(value)) {
        const list: AttributeValue[] = [];
        for (const item of value) {
          const encoded = plainToAttribute(item);
          if (encoded === undefined) return undefined;
          list.push(encoded);
        }
        return { L: list };
      }
      const map: Record<string, AttributeValue> = {};
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        const encoded = plainToAttribute(record[key]);
        if (encoded === undefined) return undefined;
        // defineProperty for "__proto__" only, so it stays data, as in the exact path.
        if (key === '__proto__') Object.defineProperty(map, key, { value: encoded, enumerable: true, writable: true, configurable: true });
        else map[key] = encoded;
      }
      return { M: map };
    }
    default:
      return undefined;
  }
}

function jsonToAttribute(node: JsonNode, where: ValueLocation, path: string): AttributeValue {
  if (node === null) return { NULL: true };
  if (typeof node === 'string') return { S: node };
  if (typeof node === 'boolean') return { BOOL: node };
  if (node instanceof JsonNumber) {
    const result = normalizeDecimal(node.text);
    if (!result.ok) valueError(result.code, { ...where, path }, result.problem, node.text);
    return { N: result.canonical };
  }
  if (Array.isArray(node)) return { L: node.map((item, index) => jsonToAttribute(item, where, `${path}[${index}]`)) };
  const map: Record<string, AttributeValue> = {};
  for (const [key, value] of node) {
    Object.defineProperty(map, key, {
      value: jsonToAttribute(value, where, `${path}.${key}`),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return { M: map };
}
