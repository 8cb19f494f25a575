import { Controller, Inject, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { topicNames, writeCommandKey } from '@pg2ddb/contracts';
import { buildDeadLetter, type IncomingBatch } from '@pg2ddb/kafka';
import type { CompiledMapping } from '@pg2ddb/mapping';
import type { Message, Producer } from 'kafkajs';
import { COMPILED_MAPPING, KAFKA_PRODUCER, TRANSFORMER_CONFIG } from './tokens';
import type { TransformerConfig } from './transformer-config';
import { TransformerMetrics } from './transformer-metrics';
import { transformMessage } from './transform-message';

/**
 * Maps one partition batch of Debezium events and emits the write commands (keyed by DynamoDB
 * key) and dead letters in one acknowledged send; the transport commits the offsets only after.
 */
@Controller()
export class ChangeBatchHandler {
  private readonly logger = new Logger(ChangeBatchHandler.name);
  private readonly topics: ReturnType<typeof topicNames>;
  private readonly sourceEpoch: number;

  constructor(
    @Inject(TRANSFORMER_CONFIG) config: TransformerConfig,
    @Inject(COMPILED_MAPPING) private readonly mapping: CompiledMapping,
    @Inject(KAFKA_PRODUCER) private readonly producer: Producer,
    @Inject(TransformerMetrics) private readonly metrics: TransformerMetrics,
  ) {
    this.topics = topicNames(config.PG2DDB_TOPIC_PREFIX);
    this.sourceEpoch = config.PG2DDB_SOURCE_EPOCH;
  }

  @EventPattern('changes')
  async handle(@Payload() batch: IncomingBatch): Promise<void> {
    const writes: Message[] = [];
    const dead: Message[] = [];
    // Counted per batch: a labelled prom-client inc per event costs more than mapping a small one.
    let skipped = 0;
    let mapped = 0;
    const ops = new Map<string, number>();
    for (const message of batch.messages) {
      const outcome = transformMessage(this.mapping, batch.topic, batch.partition, message, this.sourceEpoch);
      if (outcome.kind === 'skip') {
        skipped++;
      } else if (outcome.kind === 'dead') {
        this.metrics.events.inc({ outcome: 'dead_lettered' });
        this.logger.warn(`dead-lettered: ${outcome.code} ${outcome.message}`, { topic: batch.topic, partition: batch.partition, offset: message.offset });
        const letter = buildDeadLetter('transformer', outcome, { topic: batch.topic, partition: batch.partition, message });
        dead.push({ key: message.key, value: JSON.stringify(letter) });
      } else {
        mapped++;
        for (const command of outcome.commands) {
          ops.set(command.op, (ops.get(command.op) ?? 0) + 1);
          writes.push({ key: writeCommandKey(command), value: JSON.stringify(command) });
        }
      }
    }
    if (skipped > 0) this.metrics.events.inc({ outcome: 'skipped' }, skipped);
    if (mapped > 0) this.metrics.events.inc({ outcome: 'mapped' }, mapped);
    for (const [op, count] of ops) this.metrics.commands.inc({ op }, count);
    const topicMessages = [
      ...(writes.length > 0 ? [{ topic: this.topics.writes, messages: writes }] : []),
      ...(dead.length > 0 ? [{ topic: this.topics.dlq, messages: dead }] : []),
    ];
    if (topicMessages.length > 0) await this.producer.sendBatch({ topicMessages, acks: -1 });
  }
}
