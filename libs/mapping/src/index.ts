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
export { canonicalNumber } from './canonical-number';
export { parseJsonLossless } from './lossless-json';
export { EnvelopeDecoder } from './envelope-decoder';
