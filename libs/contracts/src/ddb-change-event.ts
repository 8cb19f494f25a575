import type { AttributeMap } from './attribute-value';

/** Where a DynamoDB change came from: the initial Scan or a DynamoDB Streams record. */
export type DdbChangeOrigin =
  | { kind: 'scan'; segment: number; totalSegments: number }
  | { kind: 'stream'; shardId: string; sequenceNumber: string; eventName: 'INSERT' | 'MODIFY' | 'REMOVE' };

/**
 * One change of a DynamoDB item on the way back (`<prefix>.ddb.<table>`, keyed by
 * `writeCommandKey`), produced by the DynamoDB source and applied by the PostgreSQL writer.
 */
export interface DdbChangeEvent {
  /** Contract version of this message. */
  v: 1;
  /** DynamoDB table name. */
  table: string;
  op: 'put' | 'delete';
  /** The item's primary key. */
  key: AttributeMap;
  /** The whole item after the change (put). */
  item?: AttributeMap;
  /** The whole item before the change (delete; also a put's previous image when the stream has it). */
  oldItem?: AttributeMap;
  /**
   * Decimal digits, compared as numbers: a stream record's sequence number; a scanned item gets
   * the stream position at which the scan started, so every change after it wins.
   */
  version: string;
  /** When the change happened (ms since epoch; the scan's start for scanned items). */
  changedAtMs: number;
  origin: DdbChangeOrigin;
}

const DIGITS = /^\d{1,40}$/;

/** Why a decoded message is not a `DdbChangeEvent`, or undefined when it is one. */
export function checkDdbChangeEvent(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return 'not an object';
  const event = value as Partial<DdbChangeEvent>;
  if (event.v !== 1) return `unsupported contract version ${JSON.stringify(event.v)}`;
  if (typeof event.table !== 'string' || event.table === '') return 'table is missing';
  if (event.op !== 'put' && event.op !== 'delete') return `op must be put or delete, got ${JSON.stringify(event.op)}`;
  if (!event.key || typeof event.key !== 'object') return 'key is missing';
  if (event.op === 'put' && (!event.item || typeof event.item !== 'object')) return 'a put needs item';
  if (event.op === 'delete' && (!event.oldItem || typeof event.oldItem !== 'object')) return 'a delete needs oldItem (stream view NEW_AND_OLD_IMAGES)';
  if (typeof event.version !== 'string' || !DIGITS.test(event.version)) return `version must be 1-40 decimal digits, got ${JSON.stringify(event.version)}`;
  if (typeof event.changedAtMs !== 'number') return 'changedAtMs is missing';
  return undefined;
}
