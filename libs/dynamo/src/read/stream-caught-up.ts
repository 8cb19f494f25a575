import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { readableShards, type ShardPosition } from '@pg2ddb/sync';

import { describeShards, readShardRecords, shardIterator } from './stream-reader';

/**
 * True when nothing in the stream lies beyond the source's checkpoints: every readable shard,
 * read after its checkpoint (from its beginning without one), returns no record. With the
 * PostgreSQL writer's consumer lag at zero this is "the way back has drained".
 */
export async function streamCaughtUp(
  streams: DynamoDBStreamsClient,
  streamArn: string,
  positions: ReadonlyMap<string, ShardPosition>,
  /** Shards the source pinned at LATEST when it started at `pinnedAtMs`: older records there were never meant to be read. */
  pinned: { shards: ReadonlySet<string>; atMs: number } = { shards: new Set(), atMs: 0 },
): Promise<boolean> {
  const shards = await describeShards(streams, streamArn);
  for (const shard of readableShards(shards, positions)) {
    const position = positions.get(shard.shardId);
    const iterator = await shardIterator(
      streams,
      streamArn,
      shard.shardId,
      position?.sequenceNumber ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: position.sequenceNumber } : { type: 'TRIM_HORIZON' },
    );
    if (!iterator) continue;
    const page = await readShardRecords(streams, iterator, position?.sequenceNumber || !pinned.shards.has(shard.shardId) ? 1 : 1000);
    const unread = position?.sequenceNumber || !pinned.shards.has(shard.shardId) ? page.records : page.records.filter((r) => r.createdAtMs >= pinned.atMs);
    if (unread.length > 0) return false;
  }
  return true;
}
