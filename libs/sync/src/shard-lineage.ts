/** A shard of a DynamoDB stream, as DescribeStream lists it. */
export interface ShardInfo {
  shardId: string;
  parentShardId?: string;
  /** Set once the shard is closed (no new records will arrive). */
  endingSequenceNumber?: string;
}

/** What the source has checkpointed for a shard. */
export interface ShardPosition {
  /** The last sequence number produced to Kafka. */
  sequenceNumber?: string;
  /** Closed and read to its end. */
  done: boolean;
}

/** Where to start reading a shard. */
export type ShardStart = { type: 'AFTER_SEQUENCE_NUMBER'; sequenceNumber: string } | { type: 'LATEST' } | { type: 'TRIM_HORIZON' };

/**
 * The shards to read now, in lineage order: a child only once its parent is read to the end (or
 * has aged out of the stream's 24-hour window), so one item's changes reach Kafka in order.
 */
export function readableShards(shards: readonly ShardInfo[], positions: ReadonlyMap<string, ShardPosition>): ShardInfo[] {
  const listed = new Set(shards.map((s) => s.shardId));
  return shards.filter((shard) => {
    if (positions.get(shard.shardId)?.done) return false;
    const parent = shard.parentShardId;
    return parent === undefined || !listed.has(parent) || positions.get(parent)?.done === true;
  });
}

/**
 * Where a shard's reading starts: after its checkpoint; else at LATEST for a shard that was open
 * when the source first started without replay (`latestShards`, the position the load started at);
 * else at its beginning (a child shard, or a restart before the shard's first checkpoint — replaying
 * a suffix of the stream converges, because every later change is replayed too).
 */
export function shardStart(shard: ShardInfo, position: ShardPosition | undefined, latestShards: ReadonlySet<string>): ShardStart {
  if (position?.sequenceNumber) return { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: position.sequenceNumber };
  if (latestShards.has(shard.shardId)) return { type: 'LATEST' };
  return { type: 'TRIM_HORIZON' };
}
