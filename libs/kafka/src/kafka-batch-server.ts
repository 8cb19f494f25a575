import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import type { Consumer, ConsumerConfig, Kafka, KafkaMessage } from 'kafkajs';
import { lastValueFrom, isObservable } from 'rxjs';
import { ConsumerHealth } from './consumer-health';

/** One partition's worth of messages, handed to a `@EventPattern` handler. */
export interface IncomingBatch {
  topic: string;
  partition: number;
  messages: KafkaMessage[];
  /** Keep the group membership alive during long work. */
  heartbeat(): Promise<void>;
  /**
   * Call before each write decided from this batch: throws when this member may no longer own the
   * partition (a heartbeat said the group is rebalancing or forgot this member, the consumer is
   * stopping, or the partition was sought elsewhere), so an expelled member never writes after its
   * successor. Heartbeats otherwise (kafkajs sends one at most every `heartbeatInterval`).
   */
  fence(): Promise<void>;
  /** 0 on the first attempt at this batch; higher when the transport retries it after a failure. */
  attempt: number;
  /**
   * This member's ownership term when the batch was fetched: it changes whenever the member may
   * have lost a partition since (a rebalance began or the group was re-joined, the consumer crashed
   * or stopped, a batch was fenced). State a handler keeps per partition across batches (e.g. the
   * writer's version cache) is only valid within one term.
   */
  ownership: number;
}

// Heartbeat answers that mean this member's partitions are (being) taken from it.
const MEMBERSHIP_LOST = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'NOT_COORDINATOR_FOR_GROUP', 'FENCED_INSTANCE_ID']);

function losesMembership(error: unknown): boolean {
  return MEMBERSHIP_LOST.has(String((error as { type?: unknown } | undefined)?.type));
}

export interface BatchSubscription {
  /** The `@EventPattern` the batches are dispatched to. */
  pattern: string;
  topics: string[];
  fromBeginning: boolean;
}

export interface KafkaBatchServerOptions {
  kafka: Kafka;
  groupId: string;
  subscriptions: BatchSubscription[];
  consumer?: Partial<ConsumerConfig>;
  partitionsConsumedConcurrently?: number;
  /** Backoff between attempts when a handler throws (it is retried: nothing is skipped). */
  retry?: { initialMs: number; maxMs: number };
  /**
   * Told how many times in a row the batch of a partition has failed: after each failed attempt,
   * and with 0 once it succeeds (a metric and a health signal for a batch retried forever).
   */
  onBatchRetries?: (topic: string, partition: number, consecutive: number) => void;
  /** Metadata committed with each partition's offset (e.g. `partitionsMetadata`), read back by start-up checks. */
  commitMetadata?: () => string;
  /** Called before subscribing, e.g. to create topics. */
  beforeSubscribe?: () => Promise<void>;
  /**
   * How long the consume loop may show no activity (fetch, heartbeat, batch, retry) before
   * `isLive()` turns false (default 5 minutes).
   */
  stallMs?: number;
  /**
   * On close, how long an in-flight batch may take to finish. After that the consumer is left
   * behind: the batch's offsets stay uncommitted, so its messages are delivered again later.
   */
  shutdownTimeoutMs?: number;
}

// A member that sends no heartbeat within the session timeout is expelled from its group; the
// backoff between attempts can be longer than that, so it sleeps in slices and beats in between.
const HEARTBEAT_SLICE_MS = 3000;

/**
 * A Nest microservice transport over kafkajs that hands whole batches to handlers and commits a
 * partition's offset only after its handler has finished (its output acknowledged or
 * dead-lettered). A handler that throws is retried with backoff on the same batch, so a
 * downstream outage pauses consumption (back-pressure) instead of losing messages.
 */
export class KafkaBatchServer extends Server implements CustomTransportStrategy {
  private consumer?: Consumer;
  private running = false;
  private readonly health: ConsumerHealth;
  private ownershipTerm = 0;

  constructor(private readonly options: KafkaBatchServerOptions) {
    super();
    this.health = new ConsumerHealth(options.stallMs ?? 300_000);
  }

  /** True while the consumer is in its group: false from a crash until kafkajs has re-joined it. */
  isReady(): boolean {
    return this.running && this.health.isReady();
  }

  /** False after a crash kafkajs will not restart, or when the consume loop has stalled. */
  isLive(): boolean {
    return this.health.isLive();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await this.start();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  private async start(): Promise<void> {
    const { kafka, groupId, subscriptions } = this.options;
    const consumer = kafka.consumer({ groupId, sessionTimeout: 30000, heartbeatInterval: 3000, ...this.options.consumer });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.ownershipTerm++;
      this.health.joined();
    });
    // Any hint that partitions may move starts a new term: a handler's per-partition state is dropped.
    for (const name of [consumer.events.REBALANCING, consumer.events.STOP, consumer.events.DISCONNECT]) consumer.on(name, () => this.ownershipTerm++);
    consumer.on(consumer.events.CRASH, (event) => {
      this.ownershipTerm++;
      this.health.crashed(event.payload.error, event.payload.restart);
      this.logger.error(`consumer crashed${event.payload.restart ? '; kafkajs restarts it' : ' for good: /health/live fails'}: ${event.payload.error.message}`);
    });
    for (const name of [consumer.events.FETCH_START, consumer.events.HEARTBEAT, consumer.events.START_BATCH_PROCESS, consumer.events.END_BATCH_PROCESS, consumer.events.REBALANCING]) {
      consumer.on(name, () => this.health.activity());
    }
    await consumer.connect();
    await this.options.beforeSubscribe?.();
    const patternByTopic = new Map<string, string>();
    for (const subscription of subscriptions) {
      for (const topic of subscription.topics) patternByTopic.set(topic, subscription.pattern);
      await consumer.subscribe({ topics: subscription.topics, fromBeginning: subscription.fromBeginning });
    }
    this.running = true;
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
        const pattern = patternByTopic.get(batch.topic);
        const handler = pattern === undefined ? undefined : this.getHandlerByPattern(pattern);
        if (!handler || batch.messages.length === 0) return;
        // The first heartbeat error that says the partition is being taken away fences the batch:
        // no write after it, no retry, no commit; it is rethrown so kafkajs rejoins the group.
        let fenced: unknown;
        const beat = async (): Promise<void> => {
          try {
            await heartbeat();
          } catch (error) {
            if (losesMembership(error)) {
              fenced ??= error;
              this.ownershipTerm++;
            }
            throw error;
          }
        };
        const owned = (): boolean => fenced === undefined && isRunning() && !isStale() && this.running;
        const incoming: IncomingBatch = {
          topic: batch.topic,
          partition: batch.partition,
          messages: batch.messages,
          heartbeat: beat,
          attempt: 0,
          ownership: this.ownershipTerm,
          fence: async () => {
            if (fenced !== undefined) throw fenced;
            if (!owned()) throw new Error(`${batch.topic}[${batch.partition}]: the consumer is stopping or the partition was sought elsewhere; the batch is abandoned`);
            await beat();
          },
        };
        await this.runUntilDone(
          async (attempt) => {
            incoming.attempt = attempt;
            const result = await handler(incoming);
            if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
          },
          owned,
          beat,
          batch.topic,
          batch.partition,
        ).catch((error: unknown) => {
          if (fenced !== undefined || !owned()) this.ownershipTerm++;
          throw fenced ?? error;
        });
        if (fenced !== undefined) {
          this.ownershipTerm++;
          throw fenced;
        }
        if (!isRunning() || isStale()) return;
        const last = batch.messages[batch.messages.length - 1] as KafkaMessage;
        // Resolving moves the consumer's in-memory position; without it the batch is fetched again.
        resolveOffset(last.offset);
        const metadata = this.options.commitMetadata?.() ?? null;
        await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString(), metadata }]);
      },
    });
  }

  private async runUntilDone(
    work: (attempt: number) => Promise<void>,
    canGoOn: () => boolean,
    heartbeat: () => Promise<void>,
    topic: string,
    partition: number,
  ): Promise<void> {
    const { initialMs, maxMs } = this.options.retry ?? { initialMs: 200, maxMs: 30000 };
    for (let attempt = 0; ; attempt++) {
      this.health.activity();
      try {
        await work(attempt);
        if (attempt > 0) this.options.onBatchRetries?.(topic, partition, 0);
        return;
      } catch (error) {
        // A batch given up (partition revoked, shutting down) is no longer this member's to retry.
        this.options.onBatchRetries?.(topic, partition, canGoOn() ? attempt + 1 : 0);
        if (!canGoOn()) throw error;
        const delay = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 20));
        this.logger.warn(`batch of ${topic}[${partition}] failed (attempt ${attempt + 1}), retrying in ${delay} ms: ${(error as Error).message}`);
        for (let waited = 0; waited < delay && canGoOn(); waited += HEARTBEAT_SLICE_MS) {
          await new Promise((resolve) => setTimeout(resolve, Math.min(HEARTBEAT_SLICE_MS, delay - waited)));
          await heartbeat().catch(() => undefined);
          this.health.activity();
        }
        if (!canGoOn()) {
          this.options.onBatchRetries?.(topic, partition, 0);
          throw error;
        }
      }
    }
  }

  async close(): Promise<void> {
    this.running = false;
    this.ownershipTerm++;
    const consumer = this.consumer;
    if (!consumer) return;
    const timeoutMs = this.options.shutdownTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([consumer.disconnect().then(() => 'done' as const), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.logger.warn(`in-flight batches did not finish within ${timeoutMs} ms; their offsets stay uncommitted and will be redelivered`);
    }
  }

  on(): never {
    throw new Error('KafkaBatchServer does not emit transport events');
  }

  unwrap<T>(): T {
    if (!this.consumer) throw new Error('KafkaBatchServer is not listening yet');
    return this.consumer as T;
  }
}
