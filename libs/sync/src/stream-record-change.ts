import type { AttributeMap, DdbChangeEvent } from '@pg2ddb/contracts';

/** A DynamoDB Streams record with its images already in the wire form (`fromSdkItem`). */
export interface StreamRecordImages {
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  keys: AttributeMap;
  newImage?: AttributeMap;
  oldImage?: AttributeMap;
  sequenceNumber: string;
  /** ApproximateCreationDateTime, ms since epoch. */
  createdAtMs: number;
}

/**
 * One stream record as a change of the way back. INSERT and MODIFY are puts of the new image,
 * REMOVE a delete carrying the old image; the sequence number is the version, so a later change of
 * the item always wins in PostgreSQL. Throws when the stream does not carry the images the way
 * back needs (a view type other than NEW_AND_OLD_IMAGES).
 */
export function streamRecordToChange(table: string, shardId: string, record: StreamRecordImages): DdbChangeEvent {
  const origin = { kind: 'stream' as const, shardId, sequenceNumber: record.sequenceNumber, eventName: record.eventName };
  const base = { v: 1 as const, table, key: record.keys, version: record.sequenceNumber, changedAtMs: record.createdAtMs, origin };
  if (record.eventName === 'REMOVE') {
    if (!record.oldImage) throw new Error(`stream record ${record.sequenceNumber} of ${table} is a REMOVE without OldImage; the stream must use NEW_AND_OLD_IMAGES`);
    return { ...base, op: 'delete', oldItem: record.oldImage };
  }
  if (!record.newImage) throw new Error(`stream record ${record.sequenceNumber} of ${table} is an ${record.eventName} without NewImage; the stream must use NEW_AND_OLD_IMAGES`);
  return { ...base, op: 'put', item: record.newImage, ...(record.oldImage ? { oldItem: record.oldImage } : {}) };
}

/** The version of an item read by the initial Scan: below every stream record, so any change read from the stream wins. */
export const SCAN_VERSION = '0';

/** A scanned item as a change of the way back. */
export function scannedItemToChange(table: string, keyNames: readonly string[], item: AttributeMap, segment: number, totalSegments: number, scanStartedAtMs: number): DdbChangeEvent {
  const key: AttributeMap = {};
  for (const name of keyNames) if (item[name]) key[name] = item[name]!;
  return { v: 1, table, op: 'put', key, item, version: SCAN_VERSION, changedAtMs: scanStartedAtMs, origin: { kind: 'scan', segment, totalSegments } };
}
