/**
 * @pg2ddb/mapping — pure: parse → validate → compile → apply a mapping; type conversions.
 * The transformer calls `mapChange` per Debezium event; the reconciler calls `mapRow` per
 * Postgres row. Both go through the same normalised value (`PgValue`) and the same item builder.
 * The folders read as the pipeline: definition/ (the mapping file), types/ (the registry of
 * Postgres type families), values/ (one value's conversions), apply/ (events, rows and items).
 * Only what other projects use is exported here.
 */
export { loadMapping } from './definition/load-mapping';
export { compileMapping, type CompiledEntity, type CompiledKeyPart, type CompiledMapping } from './definition/compile-mapping';
export { parseColumnType } from './definition/column-type';
export { ARRAY_CHECKS, compatibleFamilies, liveColumnType, refusedTypeReason, selectColumnSql, typeFamily } from './types/type-registry';
export type { TypeFamily } from './types/type-family';
export { parseJsonLossless } from './values/lossless-json';
export type { PgParam } from './values/pg-param';
export { decodeChangeEvent } from './apply/change-event';
export { EnvelopeDecoder } from './apply/envelope-decoder';
export { checkEventKey } from './apply/event-key-check';
export { mapChange } from './apply/map-change';
export { mapRow, type MappedRow } from './apply/map-row';
export { compileInverse, entityItemToRow, itemToRow, type InverseEntity, type InverseMapping } from './apply/inverse-mapping';
export { planInboundChange, rowKeyOf, type PlannedInboundChange } from './apply/inbound-change';
export { compareItemWithRow, type ColumnDifference } from './apply/compare-item-row';
