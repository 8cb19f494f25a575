import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Controller, Inject, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { topicNames } from '@pg2ddb/contracts';
import { applyBatch } from '@pg2ddb/dynamo';
import { errorCode, errorMessage, isRetriable } from '@pg2ddb/errors';
import { buildDeadLetter, type IncomingBatch } from '@pg2ddb/kafka';
import { coalesceCommands } from '@pg2ddb/sync';
import type { Message, Producer } from 'kafkajs';
import { decodeCommands } from './decode-commands';
import { DYNAMO_CLIENT, KAFKA_PRODUCER, WRITER_CONFIG } from './tokens';
import type { WriterConfig } from './writer-config';
import { WriterMetrics } from './writer-metrics';

/**
 * Applies one partition batch of write commands: decode → coalesce → guarded writes →
 * dead-letter what can never succeed. Throwing makes the transport retry the whole batch
 * (already-applied commands come back as 'stale'), so offsets move only when everything in the
 * batch is either in DynamoDB or in the DLQ.
 */
@Controller()
export class WriteBatchHandler {
  private readonly logger = new Logger(WriteBatchHandler.name);
  private readonly dlqTopic: string;

  constructor(
    @Inject(WRITER_CONFIG) private readonly config: WriterConfig,
    @Inject(DYNAMO_CLIENT) private readonly dynamo: DynamoDBClient,
    @Inject(KAFKA_PRODUCER) private readonly producer: Producer,
    @Inject(WriterMetrics) private readonly metrics: WriterMetrics,
  ) {
    this.dlqTopic = topicNames(config.PG2DDB_TOPIC_PREFIX).dlq;
  }

  @EventPattern('writes')
  async handle(@Payload() batch: IncomingBatch): Promise<void> {
    const timer = this.metrics.batchSeconds.startTimer();
    const { commands, origins, bad } = decodeCommands(batch.messages);
    const dead: Message[] = bad.map(({ message, code, reason }) =>
      this.deadLetter(batch, message, code, reason),
    );
    const coalesced = coalesceCommands(commands);
    this.metrics.commands.inc({ outcome: 'coalesced' }, commands.length - coalesced.length);
    const originOf = new Map(commands.map((command, index) => [command, origins[index]]));

    const result = await applyBatch(this.dynamo, coalesced, {
      concurrency: this.config.PG2DDB_WRITER_CONCURRENCY,
      retry: { maxAttempts: this.config.PG2DDB_WRITER_MAX_ATTEMPTS, baseDelayMs: 50, maxDelayMs: 5000 },
      onRetry: () => batch.heartbeat().catch(() => undefined),
    });
    let retriable: unknown;
    result.outcomes.forEach((outcome, index) => {
      const command = coalesced[index];
      if (outcome.status !== 'failed' || !command) return;
      if (isRetriable(outcome.error)) {
        retriable ??= outcome.error;
        return;
      }
      const origin = originOf.get(command);
      if (origin) dead.push(this.deadLetter(batch, origin, errorCode(outcome.error), errorMessage(outcome.error)));
    });
    if (retriable !== undefined) {
      // DynamoDB is unavailable or throttling beyond our retries: keep the offsets where they are.
      throw retriable;
    }
    if (dead.length > 0) {
      await this.producer.send({ topic: this.dlqTopic, messages: dead, acks: -1 });
      this.logger.warn(`dead-lettered ${dead.length} write command(s)`, { topic: batch.topic, partition: batch.partition });
    }
    this.metrics.commands.inc({ outcome: 'applied' }, result.counts.applied);
    this.metrics.commands.inc({ outcome: 'stale' }, result.counts.stale);
    this.metrics.commands.inc({ outcome: 'dead_lettered' }, dead.length);
    timer();
  }

  private deadLetter(batch: IncomingBatch, message: IncomingBatch['messages'][number], code: string, reason: string): Message {
    const letter = buildDeadLetter('writer', { code, message: reason }, { topic: batch.topic, partition: batch.partition, message });
    return { key: message.key, value: JSON.stringify(letter) };
  }
}
