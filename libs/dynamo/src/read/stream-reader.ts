import { DescribeTableCommand, UpdateTableCommand, type DynamoDBClient, type AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { ShardInfo, ShardStart, StreamRecordImages } from '@pg2ddb/sync';

import { classifyDynamoError } from '../sdk/classify-dynamo-error';
import type { DynamoClientOptions } from '../sdk/create-dynamo-client';
import { DynamoError, DynamoErrorCode } from '../sdk/dynamo-error';
import { fromSdkItem } from '../sdk/from-sdk-attribute-value';

/** The DynamoDB Streams client for the same endpoint and region as the DynamoDB client. */
export function createStreamsClient(options: DynamoClientOptions): DynamoDBStreamsClient {
  return new DynamoDBStreamsClient({
    region: options.region,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
  });
}

/**
 * The ARN of the table's stream, enabling NEW_AND_OLD_IMAGES first when `enable` is set and the
 * table has no stream. Throws `DYNAMO_STREAM_MISSING` when the stream is off (and not enabled) or
 * has another view type: the way back needs both images.
 */
export async function ensureStream(client: DynamoDBClient, table: string, enable: boolean): Promise<string> {
  const describe = async () => (await client.send(new DescribeTableCommand({ TableName: table }))).Table;
  let described = await describe().catch((error: unknown) => {
    throw classifyDynamoError(error, { table });
  });
  const spec = described?.StreamSpecification;
  if (!spec?.StreamEnabled || !described?.LatestStreamArn) {
    if (!enable) throw new DynamoError(DynamoErrorCode.STREAM_MISSING, `table ${table} has no stream; enable one with view type NEW_AND_OLD_IMAGES`, { details: { table } });
    await client.send(new UpdateTableCommand({ TableName: table, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }));
    described = await describe();
  } else if (spec.StreamViewType !== 'NEW_AND_OLD_IMAGES') {
    throw new DynamoError(DynamoErrorCode.STREAM_MISSING, `the stream of table ${table} has view type ${spec.StreamViewType}; the way back needs NEW_AND_OLD_IMAGES`, { details: { table } });
  }
  const arn = described?.LatestStreamArn;
  if (!arn) throw new DynamoError(DynamoErrorCode.STREAM_MISSING, `table ${table} reports no stream ARN after enabling its stream`, { details: { table } });
  return arn;
}

/** Every shard of the stream (DescribeStream pages through them). */
export async function describeShards(streams: DynamoDBStreamsClient, streamArn: string): Promise<ShardInfo[]> {
  const shards: ShardInfo[] = [];
  let exclusiveStart: string | undefined;
  do {
    const page = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn, ...(exclusiveStart ? { ExclusiveStartShardId: exclusiveStart } : {}) })).catch((error: unknown) => {
      throw classifyStreamError(error, streamArn);
    });
    for (const shard of page.StreamDescription?.Shards ?? []) {
      if (!shard.ShardId) continue;
      shards.push({
        shardId: shard.ShardId,
        ...(shard.ParentShardId ? { parentShardId: shard.ParentShardId } : {}),
        ...(shard.SequenceNumberRange?.EndingSequenceNumber ? { endingSequenceNumber: shard.SequenceNumberRange.EndingSequenceNumber } : {}),
      });
    }
    exclusiveStart = page.StreamDescription?.LastEvaluatedShardId;
  } while (exclusiveStart);
  return shards;
}

/** A fresh iterator for a shard at `start`. */
export async function shardIterator(streams: DynamoDBStreamsClient, streamArn: string, shardId: string, start: ShardStart): Promise<string | undefined> {
  const result = await streams
    .send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ShardIteratorType: start.type,
        ...(start.type === 'AFTER_SEQUENCE_NUMBER' ? { SequenceNumber: start.sequenceNumber } : {}),
      }),
    )
    .catch((error: unknown) => {
      throw classifyStreamError(error, streamArn, shardId);
    });
  return result.ShardIterator;
}

/** One GetRecords call: the records (images in wire form) and the next iterator (undefined: the shard is closed and read to its end). */
export async function readShardRecords(streams: DynamoDBStreamsClient, iterator: string, limit: number): Promise<{ records: StreamRecordImages[]; next?: string }> {
  const result = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: limit })).catch((error: unknown) => {
    throw classifyStreamError(error);
  });
  return { records: (result.Records ?? []).map(toImages), ...(result.NextShardIterator ? { next: result.NextShardIterator } : {}) };
}

function toImages(record: StreamRecord): StreamRecordImages {
  const data = record.dynamodb ?? {};
  const created = data.ApproximateCreationDateTime;
  const item = (image: unknown) => fromSdkItem(image as Record<string, SdkAttributeValue>);
  return {
    eventName: record.eventName as StreamRecordImages['eventName'],
    keys: item(data.Keys ?? {}),
    ...(data.NewImage ? { newImage: item(data.NewImage) } : {}),
    ...(data.OldImage ? { oldImage: item(data.OldImage) } : {}),
    sequenceNumber: data.SequenceNumber ?? '0',
    createdAtMs: created instanceof Date ? created.getTime() : typeof created === 'number' ? created * 1000 : Date.now(),
  };
}

/** Stream errors: an expired iterator is retriable (re-get it from the checkpoint), trimmed data is not. */
export function classifyStreamError(error: unknown, streamArn?: string, shardId?: string): DynamoError {
  const name = (error as { name?: string }).name;
  const details = { ...(streamArn ? { streamArn } : {}), ...(shardId ? { shardId } : {}) };
  if (name === 'ExpiredIteratorException') {
    return new DynamoError(DynamoErrorCode.STREAM_ITERATOR_EXPIRED, 'the shard iterator expired; a new one is taken from the checkpoint', { retriable: true, cause: error, details });
  }
  if (name === 'TrimmedDataAccessException') {
    return new DynamoError(DynamoErrorCode.STREAM_TRIMMED, 'the checkpoint is older than the stream keeps (24 hours): changes were lost; run the initial load again', { cause: error, details });
  }
  return classifyDynamoError(error, details);
}
