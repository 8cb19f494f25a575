/*
 * Column types as the mapping declares them. The families, their names and everything each one
 * does live in the registry (../types/type-registry.ts); this module is the mapping's entry to it.
 */
export type { ColumnFamily, ColumnType } from '../types/type-family';
export { isTtlSource, KNOWN_TYPE_NAMES, neverRendersEmpty, parseColumnType, refusedTypeReason } from '../types/type-registry';
