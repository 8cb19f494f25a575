import { Pg2ddbError } from '@pg2ddb/errors';

/**
 * Codes of the mapping library. Every one is permanent (`retriable: false`): the same event
 * fails the same way, so the consumer dead-letters it with the code.
 */
export const MappingErrorCode = {
  /** The mapping file is malformed or inconsistent (start-up only). */
  ConfigInvalid: 'MAPPING_CONFIG_INVALID',
  /** More than 38 significant digits or outside DynamoDB's exponent range. */
  NumberOutOfRange: 'MAPPING_NUMBER_OUT_OF_RANGE',
  /** NaN or ±Infinity (float or numeric): DynamoDB has no such number. */
  NotANumber: 'MAPPING_NOT_A_NUMBER',
  /** An int64 that reached us as a rounded JS number (JSON parsed without a lossless parser). */
  NumberImprecise: 'MAPPING_NUMBER_IMPRECISE',
  /** A key attribute would be NULL or the empty string. */
  EmptyKey: 'MAPPING_EMPTY_KEY',
  /** A key attribute would exceed DynamoDB's size limit (2048 bytes partition, 1024 bytes sort). */
  KeyTooLong: 'MAPPING_KEY_TOO_LONG',
  /** A delete event lacks a column the key templates need (REPLICA IDENTITY DEFAULT). */
  DeleteKeyUnknown: 'MAPPING_DELETE_KEY_UNKNOWN',
  /** An update event lacks the old values of non-primary-key columns the key templates need. */
  UpdateKeyUnknown: 'MAPPING_UPDATE_KEY_UNKNOWN',
  /** A column needed for a key holds Debezium's unavailable-value placeholder (unchanged TOAST). */
  KeyValueUnavailable: 'MAPPING_KEY_VALUE_UNAVAILABLE',
  /** A TOAST placeholder where a partial update cannot be expressed (key change, embedded child). */
  ValueUnavailable: 'MAPPING_VALUE_UNAVAILABLE',
  /** A truncate event: one event cannot enumerate the items to delete. */
  TruncateUnsupported: 'MAPPING_TRUNCATE_UNSUPPORTED',
  /** No entity maps the event's source table. */
  UnmappedTable: 'MAPPING_UNMAPPED_TABLE',
  /** A change event's Kafka key names another row than its value (or is not a key struct). */
  KeyMismatch: 'MAPPING_KEY_MISMATCH',
  /** A change event has no Kafka key (Debezium keys every change by primary key). */
  KeyMissing: 'MAPPING_KEY_MISSING',
  /** The event is not a Debezium change envelope we understand. */
  EnvelopeInvalid: 'MAPPING_ENVELOPE_INVALID',
  /** The envelope carries no `schema` (the JsonConverter must run with schemas.enable=true). */
  SchemaMissing: 'MAPPING_SCHEMA_MISSING',
  /** A value does not match its column's type (bad timestamp text, bad JSON, ...). */
  ValueInvalid: 'MAPPING_VALUE_INVALID',
  /** A column type the mapping cannot convert (geometry, struct, ...). */
  UnsupportedType: 'MAPPING_UNSUPPORTED_TYPE',
  /** A template formatter cannot render the value (pad on a negative number, iso on text, ...). */
  TemplateValueInvalid: 'MAPPING_TEMPLATE_VALUE_INVALID',
  /** An array cannot become a DynamoDB set (NULL or non-scalar elements). */
  SetInvalid: 'MAPPING_SET_INVALID',
  /** The way back: no invertible entity claims an item (no entity type, or a key no template parses). */
  ItemUnmapped: 'MAPPING_ITEM_UNMAPPED',
  /** The way back: an item cannot become a row exactly (wrong attribute form, key that does not parse back). */
  ItemInvalid: 'MAPPING_ITEM_INVALID',
  /** A row handed to `mapRow` lacks a declared column. */
  RowIncomplete: 'MAPPING_ROW_INCOMPLETE',
} as const;

export type MappingErrorCode = (typeof MappingErrorCode)[keyof typeof MappingErrorCode];

/** Where a value came from, for error messages and DLQ details. */
export interface ValueLocation {
  entity: string;
  column: string;
  /** JSONPath inside a json/jsonb value or array element, e.g. `$.items[2].price`. */
  path?: string;
}

/** A change or row that cannot be mapped. Permanent: the caller dead-letters the event. */
export class MappingError extends Pg2ddbError {
  override readonly code: MappingErrorCode;

  constructor(code: MappingErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, { details });
    this.code = code;
  }
}

/** The mapping file is invalid. `issues` lists every problem found, each naming file, entity and field. */
export class MappingConfigError extends Pg2ddbError {
  readonly issues: readonly string[];

  constructor(issues: readonly string[]) {
    super(MappingErrorCode.ConfigInvalid, issues.join('\n'), { details: { issues: [...issues] } });
    this.issues = issues;
  }
}

/** `entity "Payment", column "amount"` (plus the JSON path when there is one). */
export function describeLocation(where: ValueLocation): string {
  const path = where.path ? ` at ${where.path}` : '';
  return `entity "${where.entity}", column "${where.column}"${path}`;
}

/** Throws a value error that names entity, column and (shortened) value. */
export function valueError(code: MappingErrorCode, where: ValueLocation, problem: string, value?: unknown): never {
  throw new MappingError(code, `${describeLocation(where)}: ${problem}`, {
    entity: where.entity,
    column: where.column,
    ...(where.path ? { path: where.path } : {}),
    ...(value === undefined ? {} : { value: shorten(value) }),
  });
}

/** A value for a message: strings quoted, long ones cut so a DLQ record stays readable. */
export function shorten(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (typeof value === 'bigint') text = value.toString();
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
