import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { ddbChangeTopic } from '@pg2ddb/contracts';
import { createStreamsClient, streamCaughtUp } from '@pg2ddb/dynamo';
import { partialReads } from '@pg2ddb/errors';
import { consumerLag, pendingDeadLetters } from '@pg2ddb/kafka';
import { loadDirections, loadSourcePositions, migratePg2ddbSchema, type EntityDirection } from '@pg2ddb/postgres';
import type { ShardPosition } from '@pg2ddb/sync';

import { settings } from '../cli-settings';
import type { PipelineContext } from '../framework/pipeline-context';

/** Where the way back (DynamoDB → PostgreSQL) stands for one deployment. */
export interface WayBackState {
  directions: EntityDirection[];
  streamArn?: string;
  /** The DynamoDB source has started (it saved its start position). */
  sourceStarted: boolean;
  /** Nothing in the stream beyond the source's checkpoints (undefined: unknown). */
  streamCaughtUp?: boolean;
  /** The PostgreSQL writer's consumer lag on <prefix>.ddb.<table> (-1: unknown). */
  pgWriterLag: number;
  deadLetters: number;
  errors: string[];
}

/** Reads the way back's state: directions, stream, source checkpoints, writer lag, DLQ. */
export async function readWayBackState(context: PipelineContext): Promise<WayBackState> {
  const { errors, guard } = partialReads();
  const table = context.mapping.table.name;
  await migratePg2ddbSchema(context.pg, settings.postgres(context.env));
  const [directions, positions, described, pgWriterLag, deadLetters] = await Promise.all([
    loadDirections(context.pg, context.prefix),
    loadSourcePositions(context.pg, context.prefix, table),
    guard('table', () => context.dynamo.send(new DescribeTableCommand({ TableName: table })), undefined),
    guard('pg-writer lag', () => consumerLag(context.kafka, `${context.prefix}.pg-writer`, [ddbChangeTopic(context.prefix, table)]), -1),
    guard('dead letters', () => pendingDeadLetters(context.kafka, context.prefix), -1),
  ]);
  const streamArn = described?.Table?.StreamSpecification?.StreamEnabled ? described.Table.LatestStreamArn : undefined;
  const start = positions.find((p) => p.kind === 'scan' && p.id === 'start');
  let caughtUp: boolean | undefined;
  if (streamArn && start) {
    const shards = new Map<string, ShardPosition>(
      positions.filter((p) => p.kind === 'shard').map((p) => [p.id, { ...(typeof p.position['sequenceNumber'] === 'string' ? { sequenceNumber: p.position['sequenceNumber'] } : {}), done: p.done }]),
    );
    const pinned = { shards: new Set((start.position['openShards'] as string[] | undefined) ?? []), atMs: Number(start.position['startedAtMs'] ?? 0) };
    const streams = createStreamsClient(settings.dynamo(context.env));
    try {
      caughtUp = await guard('stream', () => streamCaughtUp(streams, streamArn, shards, pinned), undefined);
    } finally {
      streams.destroy();
    }
  }
  return {
    directions,
    ...(streamArn ? { streamArn } : {}),
    sourceStarted: start !== undefined,
    ...(caughtUp === undefined ? {} : { streamCaughtUp: caughtUp }),
    pgWriterLag,
    deadLetters,
    errors,
  };
}
