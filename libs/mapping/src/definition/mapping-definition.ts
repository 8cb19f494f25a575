import type { KeyAttribute } from '@pg2ddb/contracts';

/**
 * The mapping file as written (YAML or JSON), validated by `mapping.schema.json` and then by
 * `validateMapping`. docs/mapping.md describes every field with a full example.
 */
export interface Mapping {
  /** Format version of the file; only 1 exists. */
  version?: 1;
  table: TableDefinition;
  /** Attribute holding the entity type on every item (default `_type`). */
  entityTypeAttribute?: string;
  /** Options every entity inherits unless it sets its own. */
  defaults?: EntityOptions;
  entities: EntityDefinition[];
}

/** The DynamoDB table: becomes a `TableSpec` (projection defaults to `ALL`). */
export interface TableDefinition {
  name: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  ttlAttribute?: string;
  gsis?: GsiDefinition[];
}

export interface GsiDefinition {
  name: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  projection?: 'ALL' | 'KEYS_ONLY' | { include: string[] };
}

/** How values become attributes. YAML reads a bare `nulls: null` as null, which means `"null"`. */
export interface EntityOptions {
  nulls?: 'omit' | 'null' | null;
  json?: 'map' | 'string';
  arrays?: 'list' | 'set';
}

/** A column's declared Postgres type (`numeric(12,2)`, `text[]`), optionally with its own options. */
export type ColumnDeclaration =
  | string
  | null
  | ({
      type?: string | null;
      /** A number DynamoDB cannot hold: dead-letter the row (default), store its exact text, or NULL. */
      unrepresentable?: 'dead-letter' | 'string' | 'null';
    } & Omit<EntityOptions, 'nulls'>);

export interface KeyTemplates {
  pk: string;
  sk?: string;
}

export interface EntityDefinition extends EntityOptions {
  /** Entity name: the default entity type value and the `entity` of every write command. */
  name: string;
  source: { schema?: string; table: string };
  /** The table's primary key columns (composite allowed). */
  primaryKey: string[];
  /** Every column the mapping reads, by name, with optional types; only these become attributes. */
  columns: string[] | Record<string, ColumnDeclaration>;
  /** Item key templates (not used by an embedded child). */
  key?: KeyTemplates;
  /** GSI key templates by index name; an item leaves a GSI out when a template cannot render. */
  gsis?: Record<string, Partial<KeyTemplates>>;
  attributes?: { include?: string[]; exclude?: string[]; rename?: Record<string, string> };
  /** Value of the entity type attribute (default: the entity name). */
  entityType?: string;
  /** Expiry: `column` + ISO-8601 `offset`, stored as epoch seconds in the table's TTL attribute. */
  ttl?: { column: string; offset?: string };
  parent?: ParentDefinition;
  /** The way back (item → row): see docs/rollback.md. */
  inverse?: InverseDefinition;
}

/**
 * How an item becomes a row on the way back. `defaults`: a column the item does not carry (an
 * excluded column) gets this PostgreSQL literal when a row is inserted; `null` leaves it to the
 * column's own DEFAULT. An existing row keeps its value either way.
 */
export interface InverseDefinition {
  defaults?: Record<string, string | null>;
}

/**
 * A child table. `item`: own items (usually under the parent's partition, e.g. `ORDER#{order_id}` /
 * `ITEM#{id}`). `embedded`: a map entry `<attribute>.<childKey>` inside the parent item.
 */
export interface ParentDefinition {
  entity: string;
  mode: 'item' | 'embedded';
  /** Parent column → child column, to render the parent's key from a child row. */
  keyColumns?: Record<string, string>;
  /** Map attribute of the parent item holding the children (embedded only). */
  attribute?: string;
  /** Template of the map key (embedded only; default: the child's primary key columns joined by `#`). */
  childKey?: string;
}
