import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AttributeMap, DdbChangeEvent } from '@pg2ddb/contracts';
import { scannedItemToChange } from '@pg2ddb/sync';

import { scanSegmentPages } from './scan-segment-pages';

/** A segment's checkpoint: where its next page starts, items read so far, finished or not. */
export interface SegmentProgress {
  next?: AttributeMap;
  items: number;
  done: boolean;
}

export interface InitialScanOptions {
  table: string;
  keyNames: readonly string[];
  totalSegments: number;
  /** Segments read at once. */
  concurrency: number;
  pageSize: number;
  scanStartedAtMs: number;
  /** Progress saved by an earlier, interrupted run (by segment number). */
  progress: ReadonlyMap<number, SegmentProgress>;
  /** Produces the changes and resolves once Kafka acknowledged them. */
  emit(changes: DdbChangeEvent[]): Promise<void>;
  /** Saves a segment's progress (after `emit` resolved). */
  checkpoint(segment: number, progress: SegmentProgress): Promise<void>;
  /** Stop early (shutdown): the segments resume from their checkpoints. */
  stopped(): boolean;
}

/**
 * The initial load: a parallel Scan of the whole table, every item emitted as a put with the
 * lowest version (so any stream change read meanwhile wins), each segment checkpointed after
 * every page Kafka acknowledged. Resumes finished segments as done and the others from their last
 * page. Returns the items read in this run.
 */
export async function runInitialScan(client: DynamoDBClient, options: InitialScanOptions): Promise<number> {
  const pending = [...Array(options.totalSegments).keys()].filter((segment) => !options.progress.get(segment)?.done);
  let read = 0;
  const worker = async (): Promise<void> => {
    for (let segment = pending.shift(); segment !== undefined && !options.stopped(); segment = pending.shift()) {
      const saved = options.progress.get(segment);
      let items = saved?.items ?? 0;
      for await (const page of scanSegmentPages(client, options.table, segment, options.totalSegments, saved?.next, options.pageSize)) {
        if (page.items.length > 0) {
          await options.emit(page.items.map((item) => scannedItemToChange(options.table, options.keyNames, item, segment, options.totalSegments, options.scanStartedAtMs)));
        }
        items += page.items.length;
        read += page.items.length;
        await options.checkpoint(segment, { ...(page.next ? { next: page.next } : {}), items, done: page.next === undefined });
        if (options.stopped()) return;
      }
    }
  };
  await Promise.all([...Array(Math.max(1, Math.min(options.concurrency, pending.length || 1))).keys()].map(() => worker()));
  return read;
}
