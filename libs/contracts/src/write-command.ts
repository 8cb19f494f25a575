import type { AttributeMap, AttributeValue } from './attribute-value';

/** Where a command came from: enough to find the original change event again. */
export interface SourceCoordinates {
  /** Kafka topic, partition and offset of the Debezium event. */
  topic: string;
  partition: number;
  offset: string;
  /** Postgres schema and table. */
  schema: string;
  table: string;
  /** The change's own LSN (null for events that carry none). */
  lsn: string | null;
  /** Postgres transaction id, when known. */
  txId: string | null;
  /** True for rows read by a (full or incremental) snapshot rather than streamed from the WAL. */
  snapshot: boolean;
  /** When the change was committed (ms since epoch), from Debezium's `source.ts_ms`. */
  committedAtMs: number;
}

interface CommandBase {
  /** Contract version of this message. */
  v: 1;
  /** DynamoDB table name. */
  table: string;
  /** The item's full primary key (partition key and, if any, sort key). */
  key: AttributeMap;
  /** Mapping entity that produced it (e.g. `Payment`). */
  entity: string;
  /**
   * Source version: fixed-width lowercase hex, so that comparing two versions as strings
   * (as DynamoDB condition expressions do) orders them by source commit order.
   */
  version: string;
  source: SourceCoordinates;
}

/** Replace the whole item (create, snapshot read, update with all columns known). */
export interface PutCommand extends CommandBase {
  op: 'put';
  /** The whole item, key attributes included. */
  item: AttributeMap;
}

/** Change some attributes and leave the rest as they are (e.g. unavailable TOAST values, embedded children). */
export interface UpdateCommand extends CommandBase {
  op: 'update';
  /** Attributes to set; keys are attribute paths of top-level names or `name.child` map entries. */
  set: Record<string, AttributeValue>;
  /** Attribute paths to remove. */
  remove: string[];
  /**
   * The map entry (`attribute.childKey`) whose own `_ver` guards this update — set for embedded
   * child rows, which have versions of their own. Absent: the item's `_ver` guards it and is set.
   */
  guard?: string;
  /**
   * Some of the row's values are unknown (Debezium's unchanged-TOAST placeholder), so this update
   * cannot build the item on its own: it applies only to an item that already exists. On a
   * missing item the writer dead-letters it (`DYNAMO_ITEM_MISSING`) instead of creating a partial
   * item. Absent on whole-row updates (an embedded-children parent's upsert), which create the item.
   */
  partial?: true;
}

/** Delete the item (row deleted, or its computed key changed). */
export interface DeleteCommand extends CommandBase {
  op: 'delete';
}

/** One instruction from transformer to writer. */
export type WriteCommand = PutCommand | UpdateCommand | DeleteCommand;

/** The Kafka message key of a write command, so one item's commands stay in one partition, in order. */
export function writeCommandKey(command: Pick<WriteCommand, 'table' | 'key'>): string {
  const names = Object.keys(command.key).sort();
  return [command.table, ...names.map((name) => `${name}=${stableValue(command.key[name] as AttributeValue)}`)].join('|');
}

function stableValue(value: AttributeValue): string {
  if ('S' in value) return `S:${value.S}`;
  if ('N' in value) return `N:${value.N}`;
  if ('B' in value) return `B:${value.B}`;
  return JSON.stringify(value);
}
