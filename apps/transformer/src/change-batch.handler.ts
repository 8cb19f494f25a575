import { Controller, Inject, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { redactDeadLetter, snapshotSweepKey, topicNames, writeCommandKey, type WriteCommand } from '@pg2ddb/contracts';
import { itemSize, MAX_ITEM_BYTES } from '@pg2ddb/dynamo';
import { batchCoordinates, buildDeadLetter, sendInChunks, type IncomingBatch } from '@pg2ddb/kafka';
import type { CompiledMapping } from '@pg2ddb/mapping';
import { bindLogger, KAFKA_PRODUCER } from '@pg2ddb/service';
import { transformMessage } from '@pg2ddb/transform';
import type { KafkaMessage, Message, Producer } from 'kafkajs';
import { COMPILED_MAPPING, TRANSFORMER_CONFIG } from './tokens';
import type { TransformerConfig } from './transformer-config';
import { TransformerMetrics } from './transformer-metrics';

/**
 * Maps one partition batch of Debezium events and emits the write commands (keyed by DynamoDB
 * key) and dead letters, acknowledged, in requests small enough for any topic's size limit; the
 * transport commits the offsets only after. A command whose item DynamoDB could never hold
 * (over 400 KB) is dead-lettered here, with its size, instead of travelling to the writer.
 */
@Controller()
export class ChangeBatchHandler {
  private readonly logger = new Logger(ChangeBatchHandler.name);
  private readonly topics: ReturnType<typeof topicNames>;
  private readonly sourceEpoch: number;
  private readonly redactValues: boolean;

  constructor(
    @Inject(TRANSFORMER_CONFIG) config: TransformerConfig,
    @Inject(COMPILED_MAPPING) private readonly mapping: CompiledMapping,
    @Inject(KAFKA_PRODUCER) private readonly producer: Producer,
    @Inject(TransformerMetrics) private readonly metrics: TransformerMetrics,
  ) {
    this.topics = topicNames(config.PG2DDB_TOPIC_PREFIX);
    this.sourceEpoch = config.PG2DDB_SOURCE_EPOCH;
    this.redactValues = config.PG2DDB_REDACT_VALUES;
  }

  @EventPattern('changes')
  async handle(@Payload() batch: IncomingBatch): Promise<void> {
    const writes: Message[] = [];
    const dead: Message[] = [];
    // Counted per batch: a labelled prom-client inc per event costs more than mapping a small one.
    let skipped = 0;
    let mapped = 0;
    const ops = new Map<string, number>();
    const sweeps: Message[] = [];
    const log = bindLogger(this.logger, batchCoordinates(batch));
    for (const message of batch.messages) {
      const outcome = transformMessage(this.mapping, batch.topic, batch.partition, message, this.sourceEpoch);
      // A snapshot that read the table to its end: the sweep follows the table's puts on <prefix>.writes (see SnapshotSweep).
      if (outcome.kind !== 'skip' && outcome.sweep) sweeps.push({ key: snapshotSweepKey(outcome.sweep), value: JSON.stringify(outcome.sweep) });
      if (outcome.kind === 'skip') {
        skipped++;
      } else if (outcome.kind === 'dead') {
        this.metrics.events.inc({ outcome: 'dead_lettered' });
        const letter = this.deadLetter(batch, message, outcome);
        // The letter's reason, redacted when PG2DDB_REDACT_VALUES is on: a log line must not carry what the letter hides.
        log.warn(`dead-lettered: ${outcome.code} ${letter.reason}`, { offset: message.offset });
        dead.push(letter.message);
      } else {
        const values = outcome.commands.map((command) => JSON.stringify(command));
        // A command's JSON is never smaller in UTF-8 than the item DynamoDB would count, and a
        // UTF-16 unit is at most 3 UTF-8 bytes: only a long one needs the exact size.
        const tooLarge = values.some((value) => value.length * 3 > MAX_ITEM_BYTES) ? oversizedItem(outcome.commands) : undefined;
        if (tooLarge !== undefined) {
          this.metrics.events.inc({ outcome: 'dead_lettered' });
          dead.push(this.deadLetter(batch, message, { code: 'TRANSFORMER_ITEM_TOO_LARGE', message: tooLarge.reason, details: tooLarge.details }).message);
          continue;
        }
        mapped++;
        outcome.commands.forEach((command, index) => {
          ops.set(command.op, (ops.get(command.op) ?? 0) + 1);
          writes.push({ key: writeCommandKey(command), value: values[index] as string });
        });
      }
    }
    if (skipped > 0) this.metrics.events.inc({ outcome: 'skipped' }, skipped);
    if (mapped > 0) this.metrics.events.inc({ outcome: 'mapped' }, mapped);
    for (const [op, count] of ops) this.metrics.commands.inc({ op }, count);
    writes.push(...sweeps);
    const topicMessages = [
      ...(writes.length > 0 ? [{ topic: this.topics.writes, messages: writes }] : []),
      ...(dead.length > 0 ? [{ topic: this.topics.dlq, messages: dead }] : []),
    ];
    if (topicMessages.length > 0) await sendInChunks(this.producer, topicMessages);
  }

  private deadLetter(batch: IncomingBatch, message: KafkaMessage, failure: { code: string; message: string; details?: Record<string, unknown> }): { message: Message; reason: string } {
    const built = buildDeadLetter('transformer', failure, { topic: batch.topic, partition: batch.partition, message });
    const letter = this.redactValues ? redactDeadLetter(built) : built;
    return { message: { key: message.key, value: JSON.stringify(letter) }, reason: letter.message };
  }
}

/** The first command whose item (or, for a partial update, whose new attributes alone) exceeds DynamoDB's 400 KB. */
function oversizedItem(commands: WriteCommand[]): { reason: string; details: Record<string, unknown> } | undefined {
  for (const command of commands) {
    const attributes = command.op === 'put' ? command.item : command.op === 'update' ? { ...command.key, ...command.set } : undefined;
    if (attributes === undefined) continue;
    const bytes = itemSize(attributes);
    if (bytes <= MAX_ITEM_BYTES) continue;
    return {
      reason: `entity "${command.entity}": the item would be ${bytes} bytes, over DynamoDB's item size limit of ${MAX_ITEM_BYTES} bytes (400 KB); it cannot be written. Exclude or shorten the large columns in the mapping (attributes.exclude), then replay this letter`,
      details: { entity: command.entity, itemBytes: bytes, limitBytes: MAX_ITEM_BYTES },
    };
  }
  return undefined;
}
