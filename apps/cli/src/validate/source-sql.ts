import { liveColumnType, selectColumnSql, typeFamily, type CompiledEntity, type CompiledKeyPart, type TypeFamily } from '@pg2ddb/mapping';
import { quoteIdent, type SourceColumn } from '@pg2ddb/postgres';

/** The type family of a live scalar column (undefined for arrays and types the mapping cannot map). */
export function liveFamily(live: SourceColumn | undefined): TypeFamily | undefined {
  const type = live ? liveColumnType(live.udtName, live.isEnum, live.isArray) : undefined;
  return type && !type.array ? typeFamily(type) : undefined;
}

/** The entity's own column a template placeholder reads (embedded children render the parent's key). */
export function ownColumn(entity: CompiledEntity, column: string, part: CompiledKeyPart): string {
  const isItemKey = entity.key.includes(part);
  return isItemKey && entity.embedded ? (entity.embedded.columnMap.get(column) ?? column) : column;
}

/**
 * SQL for the text one placeholder renders, close enough to the mapping's rendering to find
 * empty, over-long and colliding keys: `lower`/`upper`/`date` formatters are applied, other
 * values use their text form.
 */
export function placeholderSql(column: string, formatter: string | undefined, live: SourceColumn | undefined): string {
  const ref = quoteIdent(column);
  if (formatter === 'lower') return `lower(${ref}::text)`;
  if (formatter === 'upper') return `upper(${ref}::text)`;
  if (formatter === 'date') return `(${ref})::date::text`;
  const family = liveFamily(live);
  if (family?.form === 'B') return `encode(${ref}, 'base64')`;
  if (formatter === 'iso' && family?.group === 'timestamp') return `to_char(${ref} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  return `${ref}::text`;
}

/** The expressions a key part renders from (one per placeholder), formatter-aware. */
export function partExpressions(entity: CompiledEntity, part: CompiledKeyPart, live: Map<string, SourceColumn>): string[] {
  return part.template.placeholders.map((placeholder) => {
    const column = ownColumn(entity, placeholder.column, part);
    return placeholderSql(column, placeholder.formatter?.name, live.get(column));
  });
}

/** Bytes of literal text in a template. */
export function literalBytes(part: CompiledKeyPart): number {
  return part.template.parts.reduce((sum, piece) => sum + ('literal' in piece ? Buffer.byteLength(piece.literal, 'utf8') : 0), 0);
}

/**
 * A generous SQL estimate of an item's size: every mapped column's text (raw bytes for bytea)
 * plus the rendered key and GSI templates and the attribute names. Used only to pick candidate
 * rows; the exact size comes from mapRow + itemSize on those rows.
 */
export function itemSizeEstimateSql(entity: CompiledEntity, live: Map<string, SourceColumn>): string {
  const terms: string[] = [];
  let constant = 0;
  for (const attribute of entity.attributes) {
    const column = live.get(attribute.column);
    if (!column) continue;
    const ref = quoteIdent(attribute.column);
    terms.push(liveFamily(column)?.form === 'B' ? `coalesce(octet_length(${ref}), 0)` : `coalesce(octet_length(${ref}::text), 0)`);
    constant += Buffer.byteLength(attribute.attribute, 'utf8');
  }
  for (const part of [...entity.key, ...entity.gsis.flatMap((gsi) => gsi.parts)]) {
    constant += literalBytes(part) + Buffer.byteLength(part.attribute.name, 'utf8');
    for (const expression of partExpressions(entity, part, live)) terms.push(`coalesce(octet_length(${expression}), 0)`);
  }
  return `(${constant} + ${terms.length > 0 ? terms.join(' + ') : '0'})`;
}

/**
 * How to select a column so `mapRow` gets exact values (docs/type-mapping.md): text for
 * numbers, temporals, json, intervals (the pool sets IntervalStyle=iso_8601) and arrays;
 * bytea raw; what the type registry says plain text misses (money) through its expression.
 */
export function readColumnSql(column: string, live: SourceColumn | undefined): string {
  const ref = quoteIdent(column);
  if (liveFamily(live)?.form === 'B') return `${ref} AS ${ref}`;
  return `${selectColumnSql(ref, live?.udtName)}::text AS ${ref}`;
}
