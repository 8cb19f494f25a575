import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ddbChangeTopic, writeCommandKey, type AttributeMap, type DdbChangeEvent } from '@pg2ddb/contracts';
import { describeShards, ensureStream, readShardRecords, runInitialScan, scanSegmentCount, shardIterator, StreamPoller, type SegmentProgress } from '@pg2ddb/dynamo';
import { errorCode, errorMessage, isRetriable } from '@pg2ddb/errors';
import type { CompiledMapping } from '@pg2ddb/mapping';
import { loadDirections, loadSourcePositions, saveSourcePosition, type EntityDirection } from '@pg2ddb/postgres';
import { KAFKA_PRODUCER } from '@pg2ddb/service';
import type { ShardPosition } from '@pg2ddb/sync';
import type { Producer } from 'kafkajs';
import type { Pool } from 'pg';

import type { DdbSourceConfig } from './ddb-source-config';
import { DDB_SOURCE_CONFIG, DYNAMO_CLIENT, MAPPING, PG_POOL, STREAMS_CLIENT } from './tokens';

const DIRECTION_CHECK_MS = 2000;
const MAX_BACKOFF_MS = 10_000;

/** True when every entity of the table syncs DynamoDB → PostgreSQL (or is draining that way). */
export function wayBackAllowed(entities: readonly string[], directions: readonly EntityDirection[]): boolean {
  const byEntity = new Map(directions.map((d) => [d.entity, d]));
  return entities.every((entity) => {
    const direction = byEntity.get(entity);
    return direction?.direction === 'ddb-to-pg' || (direction?.direction === 'switching' && direction.since['from'] === 'ddb-to-pg');
  });
}

/**
 * The DynamoDB source's loop: waits until the table's entities sync DynamoDB → PostgreSQL (one
 * direction at a time), pins the stream, runs the initial Scan (resumable) while polling the
 * stream, then follows the stream. Every emit waits for Kafka's acknowledgement before its
 * checkpoint is saved, so a crash (even kill -9) resumes without a gap.
 */
@Injectable()
export class DdbSourceRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DdbSourceRunner.name);
  private stopping = false;
  private loop?: Promise<void>;
  private failed?: string;
  private allowed = false;
  private directionCheckedAt = 0;
  private readonly topic: string;
  private readonly table: string;

  constructor(
    @Inject(DDB_SOURCE_CONFIG) private readonly config: DdbSourceConfig,
    @Inject(MAPPING) private readonly mapping: CompiledMapping,
    @Inject(DYNAMO_CLIENT) private readonly dynamo: DynamoDBClient,
    @Inject(STREAMS_CLIENT) private readonly streams: DynamoDBStreamsClient,
    @Inject(KAFKA_PRODUCER) private readonly producer: Producer,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {
    this.table = mapping.table.name;
    this.topic = ddbChangeTopic(config.PG2DDB_TOPIC_PREFIX, this.table);
  }

  /** Ready while the loop runs and has not failed permanently. */
  isReady(): boolean {
    return this.loop !== undefined && this.failed === undefined;
  }

  onApplicationBootstrap(): void {
    this.loop = this.run().catch((error: unknown) => {
      this.failed = errorMessage(error);
      this.logger.error(`the DynamoDB source stopped: ${this.failed}`, { code: errorCode(error) });
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    await this.waitForDirection();
    if (this.stopping) return;
    const prefix = this.config.PG2DDB_TOPIC_PREFIX;
    const streamArn = await ensureStream(this.dynamo, this.table, this.config.PG2DDB_DDB_SOURCE_ENABLE_STREAM);
    const saved = await loadSourcePositions(this.pool, prefix, this.table);
    const start = saved.find((p) => p.kind === 'scan' && p.id === 'start');
    const shardPositions = new Map<string, ShardPosition>(
      saved.filter((p) => p.kind === 'shard').map((p) => [p.id, { ...(typeof p.position['sequenceNumber'] === 'string' ? { sequenceNumber: p.position['sequenceNumber'] } : {}), done: p.done }]),
    );
    const firstStart = start === undefined;
    const load = this.config.PG2DDB_DDB_SOURCE_INITIAL_LOAD;
    // With a load, the stream is pinned where the Scan starts (LATEST). Without one (a rollback),
    // the stream enabled at cut-over is read from its beginning: the position of the switch.
    const openShards =
      firstStart && load === 'scan' ? (await describeShards(this.streams, streamArn)).filter((s) => !s.endingSequenceNumber).map((s) => s.shardId) : [];
    const poller = new StreamPoller(
      this.table,
      {
        describeShards: () => describeShards(this.streams, streamArn),
        shardIterator: (shardId, from) => shardIterator(this.streams, streamArn, shardId, from),
        readRecords: (iterator) => readShardRecords(this.streams, iterator, 1000),
        emit: (changes) => this.emit(changes),
        checkpoint: (shardId, position) => saveSourcePosition(this.pool, prefix, this.table, { kind: 'shard', id: shardId, position: { ...position }, done: position.done }),
      },
      shardPositions,
      new Set(openShards),
    );
    // Pin the stream where the load starts, before the first item is scanned.
    await poller.pin();
    let scanStart = start?.position;
    if (firstStart) {
      const totalSegments = load === 'scan' ? await scanSegmentCount(this.dynamo, this.table, this.config.PG2DDB_DDB_SOURCE_SCAN_SEGMENTS) : 0;
      scanStart = { startedAtMs: Date.now(), load, totalSegments, openShards };
      await saveSourcePosition(this.pool, prefix, this.table, { kind: 'scan', id: 'start', position: scanStart, done: load === 'none' });
    }
    const scan = start?.done || load === 'none' ? Promise.resolve() : this.scan(scanStart!, saved);
    const stream = this.follow(poller);
    await Promise.all([scan, stream]);
  }

  private async scan(start: Record<string, unknown>, saved: Awaited<ReturnType<typeof loadSourcePositions>>): Promise<void> {
    const prefix = this.config.PG2DDB_TOPIC_PREFIX;
    const progress = new Map<number, SegmentProgress>(
      saved.filter((p) => p.kind === 'segment').map((p) => [Number(p.id), { ...(p.position['next'] ? { next: p.position['next'] as AttributeMap } : {}), items: Number(p.position['items'] ?? 0), done: p.done }]),
    );
    const keyNames = [this.mapping.table.partitionKey.name, ...(this.mapping.table.sortKey ? [this.mapping.table.sortKey.name] : [])];
    const began = Date.now();
    for (let attempt = 0; !this.stopping; attempt++) {
      try {
        const read = await runInitialScan(this.dynamo, {
          table: this.table,
          keyNames,
          totalSegments: Number(start['totalSegments']),
          concurrency: this.config.PG2DDB_DDB_SOURCE_SCAN_CONCURRENCY,
          pageSize: this.config.PG2DDB_DDB_SOURCE_PAGE_SIZE,
          scanStartedAtMs: Number(start['startedAtMs']),
          progress,
          emit: (changes) => this.emit(changes),
          checkpoint: async (segment, segmentProgress) => {
            await saveSourcePosition(this.pool, prefix, this.table, { kind: 'segment', id: String(segment), position: { ...segmentProgress }, done: segmentProgress.done });
            progress.set(segment, segmentProgress);
          },
          stopped: () => this.stopping,
        });
        if (this.stopping) return;
        await saveSourcePosition(this.pool, prefix, this.table, { kind: 'scan', id: 'start', position: start, done: true });
        const seconds = (Date.now() - began) / 1000;
        this.logger.log(`initial load of ${this.table} finished: ${read} items in ${seconds.toFixed(1)} s (${Math.round(read / Math.max(seconds, 0.001))} items/s)`);
        return;
      } catch (error) {
        if (!isRetriable(error)) throw error;
        await this.backoff(attempt, error);
      }
    }
  }

  private async follow(poller: StreamPoller): Promise<void> {
    for (let attempt = 0; !this.stopping; ) {
      if (!(await this.directionAllows())) {
        await sleep(DIRECTION_CHECK_MS);
        continue;
      }
      try {
        const emitted = await poller.pollOnce();
        attempt = 0;
        if (emitted === 0) await sleep(this.config.PG2DDB_DDB_SOURCE_POLL_MS);
      } catch (error) {
        if (!isRetriable(error)) throw error;
        await this.backoff(attempt++, error);
      }
    }
  }

  private async emit(changes: DdbChangeEvent[]): Promise<void> {
    await this.producer.send({
      topic: this.topic,
      acks: -1,
      messages: changes.map((change) => ({ key: writeCommandKey(change), value: JSON.stringify(change) })),
    });
  }

  private async waitForDirection(): Promise<void> {
    let told = false;
    while (!this.stopping && !(await this.directionAllows())) {
      if (!told) {
        this.logger.warn(`waiting: not every entity of ${this.table} syncs ddb-to-pg (pg2ddb direction switch --to ddb-to-pg); the way back stays idle meanwhile`);
        told = true;
      }
      await sleep(DIRECTION_CHECK_MS);
    }
  }

  private async directionAllows(): Promise<boolean> {
    if (Date.now() - this.directionCheckedAt < DIRECTION_CHECK_MS) return this.allowed;
    const entities = this.mapping.entities.map((e) => e.name);
    const allowed = wayBackAllowed(entities, await loadDirections(this.pool, this.config.PG2DDB_TOPIC_PREFIX));
    if (allowed !== this.allowed && this.directionCheckedAt > 0) this.logger.warn(allowed ? 'direction is ddb-to-pg again: following the stream' : 'direction changed away from ddb-to-pg: the way back pauses');
    this.allowed = allowed;
    this.directionCheckedAt = Date.now();
    return allowed;
  }

  private async backoff(attempt: number, error: unknown): Promise<void> {
    const delay = Math.min(MAX_BACKOFF_MS, 200 * 2 ** Math.min(attempt, 10));
    this.logger.warn(`retrying in ${delay} ms: ${errorMessage(error)}`, { code: errorCode(error) });
    await sleep(delay);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
