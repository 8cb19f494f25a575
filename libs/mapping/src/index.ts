/**
 * @pg2ddb/mapping — pure: parse → validate → compile → apply a mapping; type conversions.
 * The transformer calls `mapChange` per Debezium event; the reconciler calls `mapRow` per
 * Postgres row. Both go through the same normalised value (`PgValue`) and the same item builder.
 */
export { loadMapping, assertValidMapping } from './load-mapping';
export { validateMapping } from './validate-mapping';
export {
  compileMapping,
  type CompiledAttribute,
  type CompiledEntity,
  type CompiledGsi,
  type CompiledKeyPart,
  type CompiledMapping,
} from './compile-mapping';
export { mapChange, type ChangeContext } from './map-change';
export { checkEventKey } from './event-key-check';
export { mapPgRow, mapRow, type MapRowOptions, type MappedRow } from './map-row';
export type {
  ColumnDeclaration,
  EntityDefinition,
  EntityOptions,
  GsiDefinition,
  InverseDefinition,
  KeyTemplates,
  Mapping,
  ParentDefinition,
  TableDefinition,
} from './mapping-definition';
export { MappingConfigError, MappingError, MappingErrorCode, type ValueLocation } from './mapping-error';
export { type PgRow, type PgValue } from './pg-value';
export { decodeDebeziumValue } from './debezium-decoder';
export { decodePostgresValue } from './postgres-decoder';
export { encodeAttribute, type EncodeOptions } from './attribute-encoder';
export { parseColumnType, type ColumnFamily, type ColumnType } from './column-type';
export { ARRAY_CHECKS, compatibleFamilies, liveColumnType, refusedTypeReason, selectColumnSql, typeFamily } from './types/type-registry';
export type { SourceCheck, TypeFamily } from './types/type-family';
export { parseJsonLossless } from './lossless-json';
export { EnvelopeDecoder } from './envelope-decoder';
export { decodeAttribute } from './attribute-decoder';
export { attributeToJson } from './attribute-json';
export { toPgParam, type PgParam } from './pg-param';
export {
  compileInverse,
  entityItemToRow,
  itemToRow,
  type InverseColumn,
  type InverseEntity,
  type InverseMapping,
  type InverseSource,
  type InvertedRow,
} from './inverse-mapping';
export { planInboundChange, rowKeyOf, type PlannedInboundChange } from './inbound-change';
export { compareItemWithRow, type ColumnDifference } from './compare-item-row';
