import type { DdbChangeEvent } from '@pg2ddb/contracts';
import { isRetriable } from '@pg2ddb/errors';
import { readableShards, shardStart, streamRecordToChange, type ShardInfo, type ShardPosition, type ShardStart, type StreamRecordImages } from '@pg2ddb/sync';

import { DynamoError, DynamoErrorCode } from '../sdk/dynamo-error';

/** What the poller needs from DynamoDB Streams and from its sinks (injected, so it is tested without a server). */
export interface StreamPollerPorts {
  describeShards(): Promise<ShardInfo[]>;
  shardIterator(shardId: string, start: ShardStart): Promise<string | undefined>;
  readRecords(iterator: string): Promise<{ records: StreamRecordImages[]; next?: string }>;
  /** Produces the changes and resolves once Kafka acknowledged them. */
  emit(changes: DdbChangeEvent[]): Promise<void>;
  /** Persists a shard's checkpoint (after `emit` resolved). */
  checkpoint(shardId: string, position: ShardPosition): Promise<void>;
}

/**
 * Reads a table's stream shard by shard, in lineage order, and emits every record as a change,
 * checkpointing each shard after Kafka acknowledged its records: a crash resumes after the last
 * checkpoint (the records after it are emitted again; the PostgreSQL writer's version guard makes
 * that harmless). An expired iterator is replaced from the checkpoint; a closed shard read to its
 * end is marked done and its children become readable.
 */
export class StreamPoller {
  private readonly iterators = new Map<string, string>();
  private shards: ShardInfo[] = [];
  private shardsReadAt = 0;
  private readonly latest: Set<string>;

  constructor(
    private readonly table: string,
    private readonly ports: StreamPollerPorts,
    private readonly positions: Map<string, ShardPosition>,
    /** Shards open when the source first started: read from LATEST (the position the load started at). */
    latestShards: ReadonlySet<string>,
    private readonly options: { describeEveryMs: number; now?: () => number } = { describeEveryMs: 10_000 },
  ) {
    this.latest = new Set(latestShards);
  }

  /** Takes iterators for the shards to read now (call before the initial Scan, to pin LATEST there). */
  async pin(): Promise<void> {
    await this.refreshShards(true);
    for (const shard of readableShards(this.shards, this.positions)) await this.iteratorFor(shard);
  }

  /** One pass over the readable shards; returns how many records it emitted. */
  async pollOnce(): Promise<number> {
    await this.refreshShards(false);
    let emitted = 0;
    for (const shard of readableShards(this.shards, this.positions)) {
      const iterator = await this.iteratorFor(shard);
      if (iterator === undefined) {
        await this.finish(shard.shardId);
        continue;
      }
      let page: { records: StreamRecordImages[]; next?: string };
      try {
        page = await this.ports.readRecords(iterator);
      } catch (error) {
        if (error instanceof DynamoError && error.code === DynamoErrorCode.STREAM_ITERATOR_EXPIRED) {
          // Take a new one from the checkpoint on the next pass; nothing was emitted from this one.
          this.iterators.delete(shard.shardId);
          continue;
        }
        if (isRetriable(error)) this.iterators.delete(shard.shardId);
        throw error;
      }
      if (page.records.length > 0) {
        await this.ports.emit(page.records.map((record) => streamRecordToChange(this.table, shard.shardId, record)));
        const last = page.records[page.records.length - 1]!.sequenceNumber;
        const position = { sequenceNumber: last, done: false };
        await this.ports.checkpoint(shard.shardId, position);
        this.positions.set(shard.shardId, position);
        emitted += page.records.length;
      }
      if (page.next === undefined) await this.finish(shard.shardId);
      else this.iterators.set(shard.shardId, page.next);
    }
    return emitted;
  }

  private async finish(shardId: string): Promise<void> {
    const position = { ...(this.positions.get(shardId) ?? {}), done: true };
    await this.ports.checkpoint(shardId, position);
    this.positions.set(shardId, position);
    this.iterators.delete(shardId);
    // Its children are listed by the next DescribeStream.
    this.shardsReadAt = 0;
  }

  private async iteratorFor(shard: ShardInfo): Promise<string | undefined> {
    const cached = this.iterators.get(shard.shardId);
    if (cached) return cached;
    const iterator = await this.ports.shardIterator(shard.shardId, shardStart(shard, this.positions.get(shard.shardId), this.latest));
    // LATEST only once: a later iterator without a checkpoint must not skip what came since.
    this.latest.delete(shard.shardId);
    if (iterator) this.iterators.set(shard.shardId, iterator);
    return iterator;
  }

  private async refreshShards(force: boolean): Promise<void> {
    const now = (this.options.now ?? Date.now)();
    if (!force && this.shards.length > 0 && now - this.shardsReadAt < this.options.describeEveryMs) return;
    this.shards = await this.ports.describeShards();
    this.shardsReadAt = now;
  }
}
