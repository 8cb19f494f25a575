import { topicNames, writeCommandKey, type AttributeMap, type DeadLetter, type SourceCoordinates, type WriteCommand } from '@pg2ddb/contracts';
import { consumerLag, createKafka } from '@pg2ddb/kafka';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import { eventually } from './eventually';
import type { TestPipeline } from './test-pipeline';

/**
 * A source version for commands a test writes itself: `n` as the commit position, no change LSN,
 * and the operation rank (1 for puts and updates, 0 sorts a delete before a put at one position).
 */
export function testVersion(n: number, rank: 0 | 1 = 1): string {
  return n.toString(16).padStart(16, '0') + '0'.repeat(16) + String(rank);
}

/** Where an injected command says it came from (topic `injected`, offset `n`). */
export function injectedSource(n: number, table = 'payments', schema = 'public'): SourceCoordinates {
  return { topic: 'injected', partition: 0, offset: String(n), schema, table, lsn: null, txId: null, snapshot: false, committedAtMs: Date.now() };
}

/** The key of one payment of the payments example (examples/payments), by customer id. */
export function paymentKey(customer: string | number): AttributeMap {
  return { PK: { S: `CUSTOMER#${customer}` }, SK: { S: 'PAYMENT#2024-01-01T00:00:00.000000Z#1' } };
}

/** A put of that payment at version `testVersion(n, rank)`, its status `V<n>` unless given. */
export function paymentPut(table: string, customer: string | number, n: number, options: { status?: string; rank?: 0 | 1; version?: string } = {}): WriteCommand {
  const key = paymentKey(customer);
  return {
    v: 1,
    op: 'put',
    table,
    key,
    entity: 'Payment',
    version: options.version ?? testVersion(n, options.rank),
    source: injectedSource(n),
    item: { ...key, PaymentStatus: { S: options.status ?? `V${n}` }, _type: { S: 'Payment' } },
  };
}

/** A delete of that payment at version `testVersion(n, rank)`. */
export function paymentDelete(table: string, customer: string | number, n: number, rank: 0 | 1 = 1): WriteCommand {
  return { v: 1, op: 'delete', table, key: paymentKey(customer), entity: 'Payment', version: testVersion(n, rank), source: injectedSource(n) };
}

/**
 * Produces write commands straight into a pipeline's `<prefix>.writes`, as the transformer would,
 * and tells when the writer group has read them all: for tests of the writer alone.
 */
export class WritesInjector {
  private constructor(
    readonly kafka: Kafka,
    private readonly producer: Producer,
    private readonly prefix: string,
  ) {}

  /** Connects a producer for `pipeline`; `purpose` names the Kafka client. */
  static async connect(pipeline: TestPipeline, purpose: string): Promise<WritesInjector> {
    const kafka = createKafka({ brokers: (pipeline.env.PG2DDB_KAFKA_BROKERS ?? '').split(','), clientId: `${pipeline.names.id}-${purpose}` });
    const producer = kafka.producer();
    await producer.connect();
    return new WritesInjector(kafka, producer, pipeline.names.prefix);
  }

  /** One produce call (each partition's share reaches the writer as one batch); `partition` pins them all. */
  async send(commands: WriteCommand[], partition?: number): Promise<void> {
    await this.producer.send({
      topic: topicNames(this.prefix).writes,
      acks: -1,
      messages: commands.map((command) => ({ key: writeCommandKey(command), value: JSON.stringify(command), ...(partition === undefined ? {} : { partition }) })),
    });
  }

  /** Waits until the writer group has committed everything sent so far. */
  async drained(timeoutMs = 60_000): Promise<void> {
    await eventually(async () => expect(await consumerLag(this.kafka, `${this.prefix}.writer`, [topicNames(this.prefix).writes])).toBe(0), { timeoutMs });
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }
}

/** Reads a pipeline's dead-letter topic from its beginning into `letters` (creating the topic first). */
export class DeadLetterCollector {
  readonly letters: DeadLetter[] = [];

  private constructor(private readonly consumer: Consumer) {}

  static async start(pipeline: TestPipeline): Promise<DeadLetterCollector> {
    const kafka = createKafka({ brokers: (pipeline.env.PG2DDB_KAFKA_BROKERS ?? '').split(','), clientId: `${pipeline.names.id}-dlq-reader` });
    const topic = topicNames(pipeline.names.prefix).dlq;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    await admin.disconnect();
    const collector = new DeadLetterCollector(kafka.consumer({ groupId: `${pipeline.names.id}-dlq-reader` }));
    await collector.consumer.connect();
    await collector.consumer.subscribe({ topic, fromBeginning: true });
    await collector.consumer.run({ eachMessage: async ({ message }) => void collector.letters.push(JSON.parse(String(message.value)) as DeadLetter) });
    return collector;
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
