import { Controller, Inject, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { redactDeadLetter, topicNames, type AttributeMap } from '@pg2ddb/contracts';
import { buildDeadLetter, type IncomingBatch } from '@pg2ddb/kafka';
import { entityItemToRow, rowKeyOf, type InverseMapping } from '@pg2ddb/mapping';
import { applyInboundChanges, type InboundRow } from '@pg2ddb/postgres';
import { KAFKA_PRODUCER } from '@pg2ddb/service';
import type { Message, Producer } from 'kafkajs';
import type { Pool } from 'pg';

import { decodeDdbChanges } from './decode-ddb-changes';
import type { PgWriterConfig } from './pg-writer-config';
import { INVERSE_MAPPING, PG_POOL, PG_WRITER_CONFIG } from './tokens';

/**
 * Applies one partition batch of DynamoDB changes to PostgreSQL: decode → inverse mapping → one
 * transaction (version-guarded per item) → dead-letter the rows PostgreSQL refused. A retriable
 * failure throws: the transport retries the batch without committing offsets.
 */
@Controller()
export class ApplyChangesHandler {
  private readonly logger = new Logger(ApplyChangesHandler.name);
  private readonly dlqTopic: string;

  constructor(
    @Inject(PG_WRITER_CONFIG) private readonly config: PgWriterConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(KAFKA_PRODUCER) private readonly producer: Producer,
    @Inject(INVERSE_MAPPING) private readonly inverse: InverseMapping,
  ) {
    this.dlqTopic = topicNames(config.PG2DDB_TOPIC_PREFIX).dlq;
  }

  @EventPattern('ddb-changes')
  async handle(@Payload() batch: IncomingBatch): Promise<void> {
    const { changes, origins, bad } = decodeDdbChanges(this.inverse, batch.messages);
    const dead: Message[] = bad.map(({ message, code, reason }) => this.deadLetter(batch, message, code, reason));
    const outcomes = await applyInboundChanges(this.pool, changes, {
      topicPrefix: this.config.PG2DDB_TOPIC_PREFIX,
      target: (entity) => {
        const compiled = this.inverse.entity(entity)!.entity;
        return { schema: compiled.schema, table: compiled.table, primaryKey: compiled.primaryKey };
      },
      rowOfImage: (entity, image) => this.rowOfImage(entity, image),
    });
    let applied = 0;
    let stale = 0;
    outcomes.forEach((outcome, index) => {
      if (outcome.status === 'applied') applied++;
      else if (outcome.status === 'stale') stale++;
      else if (outcome.status === 'failed') dead.push(this.deadLetter(batch, origins[index]!, outcome.error.code, outcome.error.message));
    });
    const unknown = new Set(changes.flatMap((c) => c.unknownAttributes.map((a) => `${c.entity}.${a}`)));
    if (unknown.size > 0) this.logger.warn(`items carry attributes no column holds (not written): ${[...unknown].join(', ')}`, { topic: batch.topic });
    if (dead.length > 0) {
      await this.producer.send({ topic: this.dlqTopic, messages: dead, acks: -1 });
      this.logger.warn(`dead-lettered ${dead.length} change(s)`, { topic: batch.topic, partition: batch.partition });
    }
    this.logger.debug(`applied ${applied}, stale ${stale}, dead-lettered ${dead.length}`, { topic: batch.topic, partition: batch.partition });
  }

  private rowOfImage(entity: string, image: AttributeMap): InboundRow {
    const inverseEntity = this.inverse.entity(entity)!;
    const row = entityItemToRow(inverseEntity, image);
    return { rowKey: rowKeyOf(inverseEntity.entity.primaryKey, row.primaryKey), params: row.params, insertDefaults: row.insertDefaults };
  }

  private deadLetter(batch: IncomingBatch, message: IncomingBatch['messages'][number], code: string, reason: string): Message {
    const built = buildDeadLetter('pg-writer', { code, message: reason }, { topic: batch.topic, partition: batch.partition, message });
    const letter = this.config.PG2DDB_REDACT_VALUES ? redactDeadLetter(built) : built;
    return { key: message.key, value: JSON.stringify(letter) };
  }
}
