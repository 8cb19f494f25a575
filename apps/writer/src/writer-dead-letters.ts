import { redactDeadLetter, topicNames } from '@pg2ddb/contracts';
import { buildDeadLetter, sendInChunks, type IncomingBatch } from '@pg2ddb/kafka';
import type { BoundLogger } from '@pg2ddb/service';
import type { KafkaMessage, Message, Producer } from 'kafkajs';
import type { WriterConfig } from './writer-config';
import type { WriterMetrics } from './writer-metrics';

/** A message of a batch the writer can never carry out, with the code and reason it is dead-lettered under. */
export interface WriterFailure {
  message: KafkaMessage;
  code: string;
  reason: string;
}

/**
 * Sends what the writer can never carry out to `<prefix>.dlq` (redacted when the deployment asks),
 * counts it and logs it with the batch's coordinates: one place for the write and sweep handlers.
 */
export class WriterDeadLetters {
  private readonly topic: string;

  constructor(
    private readonly config: WriterConfig,
    private readonly producer: Producer,
    private readonly metrics: WriterMetrics,
  ) {
    this.topic = topicNames(config.PG2DDB_TOPIC_PREFIX).dlq;
  }

  async send(batch: IncomingBatch, dead: readonly WriterFailure[], log: BoundLogger, what = 'write command(s)'): Promise<void> {
    if (dead.length === 0) return;
    const letters = dead.map(({ message, code, reason }) => this.letter(batch, message, code, reason));
    await sendInChunks(this.producer, [{ topic: this.topic, messages: letters }]);
    for (const entry of dead) this.metrics.deadLetters.inc({ code: entry.code });
    log.warn(`dead-lettered ${dead.length} ${what}`, { codes: [...new Set(dead.map((entry) => entry.code))] });
  }

  private letter(batch: IncomingBatch, message: KafkaMessage, code: string, reason: string): Message {
    const built = buildDeadLetter('writer', { code, message: reason }, { topic: batch.topic, partition: batch.partition, message });
    const letter = this.config.PG2DDB_REDACT_VALUES ? redactDeadLetter(built) : built;
    return { key: message.key, value: JSON.stringify(letter) };
  }
}
