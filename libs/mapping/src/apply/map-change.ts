import {
  RESERVED_ATTRIBUTES,
  type AttributeMap,
  type ConnectSchema,
  type DebeziumEnvelope,
  type Row,
  type SourceCoordinates,
  type WriteCommand,
} from '@pg2ddb/contracts';

import type { CompiledEntity, CompiledMapping } from '../definition/compile-mapping';
import { decodeDebeziumValue } from '../values/debezium-decoder';
import { buildAttributes, childKeyOf, computeKey, requireKey } from './item-builder';
import { MappingError, MappingErrorCode } from '../mapping-error';
import type { PgValue } from '../values/pg-value';
import { decodeColumn } from '../values/unrepresentable-value';

/** What the caller knows about the event besides its content. */
export interface ChangeContext {
  /** The change's source version (fixed-width hex), stored in `_ver` and carried by every command. */
  version: string;
  /** Where the event came from (Kafka coordinates, LSN, ...), copied into every command. */
  source: SourceCoordinates;
}

type Fields = ReadonlyMap<string, ConnectSchema>;

/**
 * Maps one Debezium change event to the write commands that bring DynamoDB in line with it.
 * Pure and deterministic. Returns `[]` for logical decoding messages (`op: m`); throws
 * `MappingError` (with a code, for the DLQ) for anything it cannot map — see docs/mapping.md
 * for the rules per operation (create/read/update/delete/truncate, key changes, TOAST).
 */
export function mapChange(compiled: CompiledMapping, envelope: DebeziumEnvelope, context: ChangeContext): WriteCommand[] {
  const payload = (envelope as Partial<DebeziumEnvelope> | null)?.payload;
  if (!payload || typeof payload !== 'object') throw envelopeError('the event has no payload');
  if (payload.op === 'm') return [];
  const schemaName = payload.source?.schema ?? context.source.schema;
  const tableName = payload.source?.table ?? context.source.table;
  const source = `${schemaName}.${tableName}`;
  if (payload.op === 't') {
    throw new MappingError(
      MappingErrorCode.TruncateUnsupported,
      `truncate of ${source} cannot be mapped: one event cannot enumerate the items to delete; delete the table's items and re-snapshot it (incremental snapshot), then discard this dead letter`,
      { schema: schemaName, table: tableName },
    );
  }
  if (payload.op !== 'c' && payload.op !== 'r' && payload.op !== 'u' && payload.op !== 'd') {
    throw envelopeError(`unknown op ${JSON.stringify(payload.op)} in an event for ${source}`);
  }
  const entity = compiled.entityFor(schemaName, tableName);
  if (!entity) {
    throw new MappingError(MappingErrorCode.UnmappedTable, `no entity of the mapping maps source table ${source}`, {
      schema: schemaName,
      table: tableName,
    });
  }
  const writer = new CommandWriter(compiled, entity, context);

  if (payload.op === 'd') {
    if (!payload.before) throw envelopeError(`delete event for ${source} has no "before"`);
    const before = decodeRow(entity, payload.before, rowFields(envelope, 'before', source), entity.keyColumns, false);
    return [writer.remove(oldKeyRow(entity, before, 'd'))];
  }

  if (!payload.after) throw envelopeError(`${payload.op} event for ${source} has no "after"`);
  const after = decodeRow(entity, payload.after, rowFields(envelope, 'after', source), entity.columns, true);
  if (payload.op !== 'u') return [writer.upsert(after)];
  const before = payload.before
    ? decodeRow(entity, payload.before, rowFields(envelope, 'before', source), [...entity.keyColumns, ...unavailableColumns(after)], false)
    : new Map<string, PgValue>();
  return mapUpdate(entity, writer, before, after);
}

/**
 * An update: fill unchanged TOAST values from "before" when it has them, then find out whether
 * the item moved. Debezium turns a primary key change into delete + create, so a key built from
 * primary key columns cannot move on an update; otherwise the old key must be known.
 */
function mapUpdate(entity: CompiledEntity, writer: CommandWriter, before: Map<string, PgValue>, after: Map<string, PgValue>): WriteCommand[] {
  for (const column of unavailableColumns(after)) {
    const old = before.get(column);
    if (old && old.kind !== 'unavailable') after.set(column, old);
  }
  const oldComplete = entity.keyColumns.every((column) => isKnown(before.get(column)));
  if (!oldComplete && entity.keyUsesOnlyPrimaryKey) return [writer.upsert(after)];
  const oldRow = oldKeyRow(entity, before, 'u');
  const oldIdentity = identity(entity, oldRow);
  if (oldIdentity === undefined || oldIdentity === identity(entity, after)) return [writer.upsert(after)];
  const [stillUnavailable] = unavailableColumns(after);
  if (stillUnavailable !== undefined) {
    throw new MappingError(
      MappingErrorCode.ValueUnavailable,
      `entity "${entity.name}": the update moves the item to a new key, but column "${stillUnavailable}" holds Debezium's unavailable-value placeholder (unchanged TOAST value), so the item cannot be rebuilt; set REPLICA IDENTITY FULL on ${entity.schema}.${entity.table}`,
      { entity: entity.name, column: stillUnavailable },
    );
  }
  return [writer.remove(oldRow), writer.upsert(after)];
}

function unavailableColumns(row: Map<string, PgValue>): string[] {
  const columns: string[] = [];
  for (const [column, value] of row) if (value.kind === 'unavailable') columns.push(column);
  return columns;
}

/**
 * Where the row lives (item key, plus the map entry for an embedded child), or undefined when
 * the row cannot have been written (an old key that is empty: its item never existed).
 */
function identity(entity: CompiledEntity, row: Map<string, PgValue>): string | undefined {
  try {
    const key = computeKey(entity, row);
    if (!key.ok) return undefined;
    return entity.embedded ? `${key.identity}|${childKeyOf(entity, row)}` : key.identity;
  } catch (error) {
    if (error instanceof MappingError && (error.code === MappingErrorCode.EmptyKey || error.code === MappingErrorCode.KeyTooLong)) {
      return undefined;
    }
    throw error;
  }
}

function envelopeError(problem: string): MappingError {
  return new MappingError(MappingErrorCode.EnvelopeInvalid, `not a Debezium change event: ${problem}`);
}

function rowFields(envelope: DebeziumEnvelope, side: 'before' | 'after', source: string): Fields {
  const struct = envelope.schema?.fields?.find((field) => field.field === side);
  if (!struct?.fields) {
    throw new MappingError(
      MappingErrorCode.SchemaMissing,
      `the event for ${source} carries no schema for "${side}"; run the connector's JsonConverter with schemas.enable=true`,
      { source },
    );
  }
  let fields = fieldsByStruct.get(struct);
  if (fields === undefined) {
    fields = new Map(struct.fields.map((field) => [field.field ?? '', field]));
    fieldsByStruct.set(struct, fields);
  }
  return fields;
}

// Events decoded by EnvelopeDecoder share their (frozen) schema objects: index each row struct once.
const fieldsByStruct = new WeakMap<ConnectSchema, Fields>();

function decodeRow(entity: CompiledEntity, raw: Row, fields: Fields, columns: Iterable<string>, required: boolean): Map<string, PgValue> {
  const row = new Map<string, PgValue>();
  for (const column of columns) {
    if (!Object.prototype.hasOwnProperty.call(raw, column)) {
      if (!required) continue;
      throw new MappingError(
        MappingErrorCode.RowIncomplete,
        `entity "${entity.name}": the change event has no column "${column}"; the mapping declares it but ${entity.schema}.${entity.table} does not send it`,
        { entity: entity.name, column },
      );
    }
    const value = raw[column];
    row.set(column, decodeColumn(entity, column, value, () => decodeDebeziumValue(value, fields.get(column), entity.columnTypes.get(column), { entity: entity.name, column })));
  }
  return row;
}

/**
 * The old row's key columns, or an error telling the operator why they are missing: with
 * REPLICA IDENTITY DEFAULT a delete's "before" holds only primary key columns and an update has
 * no "before" at all.
 */
function isKnown(value: PgValue | undefined): boolean {
  return value !== undefined && value.kind !== 'null' && value.kind !== 'unavailable';
}

function oldKeyRow(entity: CompiledEntity, before: Map<string, PgValue>, op: 'u' | 'd'): Map<string, PgValue> {
  for (const column of entity.keyColumns) {
    if (isKnown(before.get(column))) continue;
    const source = `${entity.schema}.${entity.table}`;
    if (op === 'd' && entity.primaryKey.includes(column)) {
      throw envelopeError(`delete event for ${source} has no value for primary key column "${column}" in "before"`);
    }
    const remedy = `run ALTER TABLE ${source} REPLICA IDENTITY FULL, or build the key templates from primary key columns only`;
    if (op === 'd') {
      throw new MappingError(
        MappingErrorCode.DeleteKeyUnknown,
        `entity "${entity.name}": cannot compute the key of the deleted row: column "${column}" ${usedBy(entity, column)} is not in the event's "before", which with REPLICA IDENTITY DEFAULT holds only primary key columns; ${remedy}`,
        { entity: entity.name, column },
      );
    }
    throw new MappingError(
      MappingErrorCode.UpdateKeyUnknown,
      `entity "${entity.name}": cannot tell whether the update moved the item: column "${column}" ${usedBy(entity, column)} has no old value in the event (REPLICA IDENTITY DEFAULT sends no "before"); ${remedy}`,
      { entity: entity.name, column },
    );
  }
  return before;
}

function usedBy(entity: CompiledEntity, column: string): string {
  const parentColumn = entity.embedded ? [...entity.embedded.columnMap].find(([, child]) => child === column)?.[0] : column;
  const part = entity.key.find((p) => parentColumn !== undefined && p.template.columns.includes(parentColumn));
  if (part) return `(used by ${entity.embedded ? 'the parent key' : part.label} template ${JSON.stringify(part.template.source)})`;
  return `(used by parent.childKey template ${JSON.stringify(entity.embedded?.childKey.source ?? '')})`;
}

/** Builds the commands of one event; all share table, entity, version and source coordinates. */
class CommandWriter {
  constructor(
    private readonly compiled: CompiledMapping,
    private readonly entity: CompiledEntity,
    private readonly context: ChangeContext,
  ) {}

  /** Create or replace what the row maps to. */
  upsert(row: Map<string, PgValue>): WriteCommand {
    const entity = this.entity;
    const { key } = requireKey(entity, row);
    if (entity.embedded) {
      const [unavailable] = unavailableColumns(row);
      if (unavailable !== undefined) {
        throw new MappingError(
          MappingErrorCode.ValueUnavailable,
          `entity "${entity.name}": column "${unavailable}" holds Debezium's unavailable-value placeholder (unchanged TOAST value), and an embedded child is written whole; set REPLICA IDENTITY FULL on ${entity.schema}.${entity.table}`,
          { entity: entity.name, column: unavailable },
        );
      }
      const path = `${entity.embedded.attribute}.${childKeyOf(entity, row)}`;
      const { set } = buildAttributes(entity, row, { entityType: false });
      return this.update(key, { [path]: { M: this.versioned({}, set) } }, [], path);
    }
    const attributes = buildAttributes(entity, row, { entityType: true });
    if (attributes.unavailable.length === 0 && !entity.upsertAsUpdate) {
      const { v, table, entity: name, version, source } = this.base();
      return { v, table, key, entity: name, version, source, op: 'put', item: this.versioned(copy({}, key), attributes.set) };
    }
    // Partial (TOAST) or parent of embedded children: an update leaves other attributes alone.
    // With values unknown the update cannot stand for the whole row: it may only change an existing item.
    return this.update(key, this.versioned({}, attributes.set), [...attributes.remove], undefined, attributes.unavailable.length > 0);
  }

  /** Remove what the (old) row mapped to. */
  remove(row: Map<string, PgValue>): WriteCommand {
    const { key } = requireKey(this.entity, row);
    if (this.entity.embedded) {
      const path = `${this.entity.embedded.attribute}.${childKeyOf(this.entity, row)}`;
      return this.update(key, {}, [path], path);
    }
    const { v, table, entity, version, source } = this.base();
    return { v, table, key, entity, version, source, op: 'delete' };
  }

  private update(key: AttributeMap, set: AttributeMap, remove: string[], guard?: string, partial = false): WriteCommand {
    const { v, table, entity, version, source } = this.base();
    return { v, table, key, entity, version, source, op: 'update', set, remove, ...(guard === undefined ? {} : { guard }), ...(partial ? { partial: true } : {}) };
  }

  private base() {
    return { v: 1 as const, table: this.compiled.table.name, entity: this.entity.name, version: this.context.version, source: this.context.source };
  }

  /** `target` + `attributes` + `_ver`. */
  private versioned(target: AttributeMap, attributes: AttributeMap): AttributeMap {
    copy(target, attributes);
    target[RESERVED_ATTRIBUTES.version] = { S: this.context.version };
    return target;
  }
}

// Plain loops: object spread over these dictionary-shaped maps is several times slower per event.
function copy(target: AttributeMap, source: AttributeMap): AttributeMap {
  for (const name in source) target[name] = source[name]!;
  return target;
}
