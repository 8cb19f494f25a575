import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Controller, Inject, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { topicNames } from '@pg2ddb/contracts';
import { batchCoordinates, type IncomingBatch } from '@pg2ddb/kafka';
import { bindLogger, KAFKA_PRODUCER } from '@pg2ddb/service';
import type { Producer } from 'kafkajs';
import { decodeCommands, type WriteScope } from './decode-commands';
import { SnapshotSweeper } from './snapshot-sweeper';
import { SWEEP_DYNAMO_CLIENT, WRITE_SCOPE, WRITER_CONFIG } from './tokens';
import type { WriterConfig } from './writer-config';
import { WriterDeadLetters } from './writer-dead-letters';
import { WriterMetrics } from './writer-metrics';

/**
 * Runs the completed-snapshot sweeps the write handler forwarded to `<prefix>.sweeps`, in a
 * consumer group of their own (`<prefix>.sweeper`): a sweep scans every item of an entity, which
 * takes minutes on a large table, and must hold up no write. Throwing retries the batch, so a
 * sweep's offset moves only once its deletes are acknowledged; a replayed sweep finds what is left.
 * Anything else on the topic is dead-lettered.
 */
@Controller()
export class SweepBatchHandler {
  private readonly logger = new Logger(SweepBatchHandler.name);
  private readonly sweeper: SnapshotSweeper;
  private readonly deadLetters: WriterDeadLetters;

  constructor(
    @Inject(WRITER_CONFIG) config: WriterConfig,
    @Inject(SWEEP_DYNAMO_CLIENT) dynamo: DynamoDBClient,
    @Inject(KAFKA_PRODUCER) producer: Producer,
    @Inject(WriterMetrics) metrics: WriterMetrics,
    @Inject(WRITE_SCOPE) private readonly scope: WriteScope,
  ) {
    this.sweeper = new SnapshotSweeper(dynamo, producer, topicNames(config.PG2DDB_TOPIC_PREFIX).writes);
    this.deadLetters = new WriterDeadLetters(config, producer, metrics);
  }

  @EventPattern('sweeps')
  async handle(@Payload() batch: IncomingBatch): Promise<void> {
    const log = bindLogger(this.logger, batchCoordinates(batch));
    const { commands, origins, sweeps, bad } = decodeCommands(batch.messages, this.scope);
    const notSweeps = commands.map((_, index) => ({
      message: origins[index]!,
      code: 'WRITER_MALFORMED_COMMAND',
      reason: `a write command on ${batch.topic}, which carries only snapshot sweeps (write commands belong on <prefix>.writes)`,
    }));
    await this.deadLetters.send(batch, [...bad, ...notSweeps], log, 'message(s) that are no snapshot sweep');
    if (sweeps.length > 0) await this.sweeper.sweep(sweeps, batch, log);
  }
}
