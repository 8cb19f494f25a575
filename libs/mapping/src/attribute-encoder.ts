import type { AttributeValue } from '@pg2ddb/contracts';

import { normalizeDecimal } from './decimal-number';
import { JsonNumber, JsonSyntaxError, parseJsonNodes, type JsonNode } from './lossless-json';
import { MappingErrorCode, valueError, type ValueLocation } from './mapping-error';
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
      return options.json === 'string' ? { S: value.text } : jsonToAttribute(parseJson(value.text, where), where, '$');
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

function parseJson(text: string, where: ValueLocation): JsonNode {
  try {
    return parseJsonNodes(text);
  } catch (error) {
    const reason = error instanceof JsonSyntaxError ? error.message : String(error);
    return valueError(MappingErrorCode.ValueInvalid, where, `value is not valid JSON (${reason})`, text);
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
