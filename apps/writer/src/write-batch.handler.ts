import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Controller, Inject, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { snapshotSweepKey, topicNames } from '@pg2ddb/contracts';
import { persistCommands, TombstoneTables, type PersistOptions } from '@pg2ddb/dynamo';
import type { RetryEvent } from '@pg2ddb/errors';
import { batchCoordinates, sendInChunks, type IncomingBatch } from '@pg2ddb/kafka';
import { bindLogger, KAFKA_PRODUCER } from '@pg2ddb/service';
import type { StoredVersions } from '@pg2ddb/sync';
import type { KafkaMessage, Producer } from 'kafkajs';
import { decodeCommands, type WriteScope } from './decode-commands';
import { PartitionVersionCaches } from './partition-version-caches';
import { sortOutcomes } from './sort-outcomes';
import { DYNAMO_CLIENT, WRITE_SCOPE, WRITER_CONFIG } from './tokens';
import type { WriterConfig } from './writer-config';
import { WriterDeadLetters } from './writer-dead-letters';
import { WriterMetrics } from './writer-metrics';

const HEARTBEAT_EVERY_MS = 3000;

/**
 * Persists one partition batch of write commands: decode → persist (version guard, batching,
 * retries) → dead-letter what can never succeed. Throwing makes the transport retry the whole
 * batch later, without committing: consumption of the partition pauses while DynamoDB throttles
 * or is down (back-pressure), and commands already written come back `stale` on the retry. So
 * offsets move only when every command of the batch is in DynamoDB or in the DLQ.
 */
@Controller()
export class WriteBatchHandler {
  private readonly logger = new Logger(WriteBatchHandler.name);
  private readonly sweepsTopic: string;
  private readonly tombstones: TombstoneTables;
  private readonly deadLetters: WriterDeadLetters;
  // Per batch, the versions read on a retry, kept up to date with what was written: a batch
  // retried again reads no version again (its writes are conditional, so an old one is harmless).
  private readonly versionCaches = new WeakMap<IncomingBatch, Map<string, StoredVersions>>();
  // Per owned partition and ownership term, the versions read or written by first attempts: the
  // guard's read is skipped for items this writer already knows (see PartitionVersionCaches).
  private readonly partitionCaches: PartitionVersionCaches;

  constructor(
    @Inject(WRITER_CONFIG) private readonly config: WriterConfig,
    @Inject(DYNAMO_CLIENT) private readonly dynamo: DynamoDBClient,
    @Inject(KAFKA_PRODUCER) private readonly producer: Producer,
    @Inject(WriterMetrics) private readonly metrics: WriterMetrics,
    @Inject(WRITE_SCOPE) private readonly scope: WriteScope,
  ) {
    this.sweepsTopic = topicNames(config.PG2DDB_TOPIC_PREFIX).sweeps;
    this.tombstones = new TombstoneTables(dynamo);
    this.partitionCaches = new PartitionVersionCaches(config.PG2DDB_WRITER_VERSION_CACHE_ITEMS);
    this.deadLetters = new WriterDeadLetters(config, producer, metrics);
  }

  @EventPattern('writes')
  async handle(@Payload() batch: IncomingBatch): Promise<void> {
    const log = bindLogger(this.logger, batchCoordinates(batch));
    const timer = this.metrics.batchSeconds.startTimer();
    const { commands, origins, sweeps, bad } = decodeCommands(batch.messages, this.scope);
    this.metrics.batchCommands.observe(batch.messages.length);
    const result = await persistCommands(this.dynamo, commands, this.persistOptions(batch)).catch((error: unknown) => {
      // Some writes may have landed unrecorded (or the partition was taken away): forget it all.
      this.partitionCaches.drop(batch);
      this.metrics.backpressure.set(1);
      throw error;
    });
    // A refused or failed write means the cache may be wrong about an item: forget the partition's.
    if (result.counts.stale > 0 || result.counts.failed > 0) this.partitionCaches.drop(batch);
    this.metrics.versionCacheItems.set(this.partitionCaches.size());
    const sorted = sortOutcomes(commands, result.outcomes, {
      attempt: batch.attempt,
      unknownErrorBatchAttempts: this.config.PG2DDB_WRITER_UNKNOWN_ERROR_BATCH_ATTEMPTS,
      ackedAtMs: Date.now(),
    });
    for (const lag of sorted.lagSeconds) this.metrics.lagSeconds.observe(lag);
    // DynamoDB is throttling or unavailable beyond this batch's retries: keep the offsets where
    // they are; the transport retries the batch with backoff and fetches nothing new meanwhile.
    this.metrics.backpressure.set(sorted.retriable === undefined ? 0 : 1);
    if (sorted.retriable !== undefined) throw sorted.retriable;
    const dead = [
      ...bad.map(({ message, code, reason }) => ({ message, code, reason })),
      ...sorted.dead.map(({ index, code, reason }) => ({ message: origins[index] as KafkaMessage, code, reason })),
    ];
    await this.deadLetters.send(batch, dead, log);
    // Completed snapshots: their sweeps scan a whole entity, which must not hold up this partition's
    // writes. They go to <prefix>.sweeps (before the offsets move), where SweepBatchHandler runs
    // them; the deletes a sweep sends still land after every command already on <prefix>.writes.
    if (sweeps.length > 0) {
      await sendInChunks(this.producer, [{ topic: this.sweepsTopic, messages: sweeps.map((sweep) => ({ key: snapshotSweepKey(sweep), value: JSON.stringify(sweep) })) }]);
      log.log(`forwarded ${sweeps.length} snapshot sweep(s) to ${this.sweepsTopic}`);
    }
    this.metrics.recordApplied(sorted.applied);
    this.metrics.commands.inc({ outcome: 'stale' }, result.counts.stale);
    this.metrics.commands.inc({ outcome: 'superseded' }, result.counts.superseded);
    this.metrics.commands.inc({ outcome: 'dead_lettered' }, dead.length);
    timer();
  }

  /** How this batch is persisted: the writer's settings, its version cache, fence and heartbeats. */
  private persistOptions(batch: IncomingBatch): PersistOptions {
    let lastBeat = Date.now();
    const keepAlive = (): void => {
      if (Date.now() - lastBeat < HEARTBEAT_EVERY_MS) return;
      lastBeat = Date.now();
      batch.heartbeat().catch(() => undefined);
    };
    // A first attempt decides from what this owner knows (its writes go out as planned, as after a
    // read); a retry starts from a cache of its own and writes under DynamoDB's condition.
    // The batch keeps the map it started from: if the batch is retried (after the partition's cache
    // was dropped), the retry reads no version again either — its writes are conditional.
    const partitionCache = batch.attempt === 0 && this.config.PG2DDB_WRITER_VERSION_CACHE_ITEMS > 0 ? this.partitionCaches.forBatch(batch) : undefined;
    let versionCache = this.versionCaches.get(batch) ?? partitionCache;
    if (versionCache === undefined) versionCache = new Map();
    this.versionCaches.set(batch, versionCache);
    return {
      concurrency: this.config.PG2DDB_WRITER_CONCURRENCY,
      retry: {
        maxAttempts: this.config.PG2DDB_WRITER_MAX_ATTEMPTS,
        baseDelayMs: this.config.PG2DDB_WRITER_RETRY_BASE_MS,
        maxDelayMs: this.config.PG2DDB_WRITER_RETRY_MAX_MS,
      },
      tombstones: this.tombstones,
      tombstoneTtlSeconds: this.config.PG2DDB_WRITER_TOMBSTONE_TTL_DAYS * 86_400,
      onRetry: (event) => {
        this.countRetry(event);
        keepAlive();
      },
      onBatchCall: (requests) => {
        this.metrics.requestSize.observe(requests);
        keepAlive();
      },
      // Two writers must never own one partition: stop writing as soon as the group takes it away.
      beforeWrite: () => batch.fence(),
      // A retried batch was decided once already; its writes go out under DynamoDB's condition.
      conditionalWrites: batch.attempt > 0,
      versionCache,
    };
  }

  private countRetry(event: RetryEvent): void {
    const reason = event.reason;
    this.metrics.retries.inc({ operation: event.operation, reason });
    this.metrics.retryDelaySeconds.observe({ operation: event.operation }, event.delayMs / 1000);
    if (reason === 'throttled' || reason === 'unprocessed') this.metrics.throttles.inc({ operation: event.operation });
  }
}
