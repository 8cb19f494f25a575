import type { DebeziumEnvelope, SnapshotSweep, SourceCoordinates, WriteCommand } from '@pg2ddb/contracts';
import { errorCode, errorMessage, Pg2ddbError } from '@pg2ddb/errors';
import { checkEventKey, decodeChangeEvent, mapChange, type CompiledMapping } from '@pg2ddb/mapping';
import { completedSnapshotSweep, isSnapshot, sourceVersion } from '@pg2ddb/sync';

/** What of a Kafka message the transformer reads (kafkajs's KafkaMessage has this shape). */
export interface ChangeMessage {
  key: Buffer | null;
  value: Buffer | null;
  offset: string;
}

export type TransformOutcome =
  | { kind: 'commands'; commands: WriteCommand[]; sweep?: SnapshotSweep }
  | { kind: 'skip' }
  | { kind: 'dead'; code: string; message: string; details?: Record<string, unknown>; sweep?: SnapshotSweep };

/**
 * One Debezium message → its write commands, or the reason it cannot be mapped. Never throws:
 * a bad message must not stop the line (invariant 5).
 */
export function transformMessage(mapping: CompiledMapping, topic: string, partition: number, message: ChangeMessage, sourceEpoch = 0): TransformOutcome {
  if (message.value === null || message.value.length === 0) return { kind: 'skip' }; // Kafka tombstone
  let envelope: DebeziumEnvelope;
  try {
    envelope = decodeChangeEvent(message.value);
  } catch (error) {
    return { kind: 'dead', code: 'TRANSFORMER_MALFORMED_EVENT', message: `${topic}[${partition}]@${message.offset}: ${errorMessage(error)}` };
  }
  let sweep: SnapshotSweep | undefined;
  try {
    const { payload } = envelope;
    if (payload.op === 'm') return { kind: 'skip' };
    checkEventKey(message.key, envelope);
    const version = sourceVersion(payload.source, payload.op, sourceEpoch);
    const source: SourceCoordinates = {
      topic,
      partition,
      offset: message.offset,
      schema: payload.source.schema,
      table: payload.source.table,
      lsn: payload.source.lsn === undefined || payload.source.lsn === null ? null : String(payload.source.lsn),
      txId: payload.source.txId === undefined || payload.source.txId === null ? null : String(payload.source.txId),
      snapshot: isSnapshot(payload.source),
      committedAtMs: Number(payload.source.ts_ms),
    };
    // The snapshot's last row of the table closes it, whether or not the row itself maps.
    sweep = snapshotSweepFor(mapping, payload.source, version, source);
    return { kind: 'commands', commands: mapChange(mapping, envelope, { version, source }), ...(sweep ? { sweep } : {}) };
  } catch (error) {
    const details = error instanceof Pg2ddbError && Object.keys(error.details).length > 0 ? { ...error.details } : undefined;
    return { kind: 'dead', code: errorCode(error), message: errorMessage(error), ...(details ? { details } : {}), ...(sweep ? { sweep } : {}) };
  }
}

/** The sweep a completed snapshot of this event's table calls for (entities with items of their own only). */
function snapshotSweepFor(mapping: CompiledMapping, event: DebeziumEnvelope['payload']['source'], version: string, source: SourceCoordinates): SnapshotSweep | undefined {
  const entity = mapping.entityFor(event.schema, event.table);
  // An embedded child lives as a map entry of its parent's item, not as an item to sweep.
  if (!entity || entity.mode !== 'item') return undefined;
  const keyAttributes = [mapping.table.partitionKey.name, ...(mapping.table.sortKey ? [mapping.table.sortKey.name] : [])];
  return completedSnapshotSweep(event, version, { table: mapping.table.name, entity: entity.name, entityType: entity.entityType, keyAttributes }, source);
}
