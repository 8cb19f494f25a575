/** A DynamoDB key attribute: name and scalar type. */
export interface KeyAttribute {
  name: string;
  type: 'S' | 'N' | 'B';
}

/** A global secondary index as the mapping declares it. */
export interface GsiSpec {
  name: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  /** `ALL` (default), `KEYS_ONLY`, or the non-key attributes to include. */
  projection: 'ALL' | 'KEYS_ONLY' | { include: string[] };
}

/** The DynamoDB table a mapping writes to: what `cli init` creates and validates. */
export interface TableSpec {
  name: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  gsis: GsiSpec[];
  /** Attribute holding the expiry time (epoch seconds), when TTL is used. */
  ttlAttribute?: string;
}

/**
 * Attribute names pg2ddb reserves on every item it writes. The version lets the writer refuse a
 * stale overwrite with a condition expression; mappings may not use these names.
 */
export const RESERVED_ATTRIBUTES = {
  version: '_ver',
} as const;
