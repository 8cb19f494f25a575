import { BatchWriteItemCommand, DeleteTableCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import type { TableSpec, WriteCommand } from '@pg2ddb/contracts';
import { ensureTable, toSdkItem } from '@pg2ddb/dynamo';
import type { CompiledMapping } from '@pg2ddb/mapping';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { transformMessage } from '@pg2ddb/transform';
import type { StartOffsets } from './latency-hops';
import { cpuSnapshot, type ProcessGroup } from './process-cpu';

/** What the minimal consumer did with a phase's change events. */
export interface UnguardedBaseline {
  events: number;
  itemsWritten: number;
  requests: number;
  seconds: number;
  eventsPerSecond: number;
  /** CPU of this consumer (the benchmark process while it ran) per change event. */
  consumerMicrosecondsPerChange: number;
  /** CPU of the DynamoDB emulator per change event. */
  dynamoMicrosecondsPerChange: number;
  method: string;
}

/**
 * The side-by-side baseline (issue 16, lever 6): the same change events the pipeline just carried,
 * read again from the change topic (from the phase's start offsets to the end), converted with the
 * transformer's own `transformMessage` and written with plain `BatchWriteItem` (25 a call, 4 calls
 * in flight, unprocessed items resent) into a fresh table of the same shape — no version guard, no
 * tombstones, no DLQ, no writes topic. What the pipeline spends beyond this is the price of its
 * guarantees (and of its second Kafka hop). A replay, so it measures throughput and CPU, not latency.
 */
export async function runUnguardedBaseline(options: {
  kafka: Kafka;
  admin: Admin;
  dynamo: DynamoDBClient;
  mapping: CompiledMapping;
  table: TableSpec;
  topic: string;
  from: StartOffsets;
  dynamoGroup: ProcessGroup;
}): Promise<UnguardedBaseline> {
  const { kafka, admin, dynamo, mapping, topic, from } = options;
  const table = `${options.table.name}-unguarded`;
  const { ttlAttribute: _ttl, ...withoutTtl } = options.table;
  await ensureTable(dynamo, { ...withoutTtl, name: table });
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => [partition, BigInt(high)]));
  const remaining = new Set(from.filter(({ partition, offset }) => BigInt(offset) < (ends.get(partition) ?? 0n)).map(({ partition }) => partition));
  let events = 0;
  let itemsWritten = 0;
  let requests = 0;
  const dynamoBefore = cpuSnapshot([options.dynamoGroup]);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const consumer = kafka.consumer({ groupId: `pg2ddb-bench-unguarded-${Date.now()}`, maxWaitTimeInMs: 100, maxBytesPerPartition: 16 * 1024 * 1024 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: false });
    if (remaining.size > 0) {
      await new Promise<void>((resolve, reject) => {
        void consumer
          .run({
            eachBatch: async ({ batch }) => {
              const commands: WriteCommand[] = [];
              for (const message of batch.messages as KafkaMessage[]) {
                if (BigInt(message.offset) >= (ends.get(batch.partition) ?? 0n)) break;
                events++;
                const outcome = transformMessage(mapping, batch.topic, batch.partition, message);
                if (outcome.kind === 'commands') commands.push(...outcome.commands);
              }
              const written = await writeUnguarded(dynamo, table, commands);
              itemsWritten += written.items;
              requests += written.requests;
              const last = batch.messages[batch.messages.length - 1];
              if (last === undefined || BigInt(last.offset) + 1n >= (ends.get(batch.partition) ?? 0n)) remaining.delete(batch.partition);
              if (remaining.size === 0) resolve();
            },
          })
          .catch(reject);
        for (const { partition, offset } of from) consumer.seek({ topic, partition, offset });
      });
    }
  } finally {
    await consumer.disconnect();
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const dynamoAfter = cpuSnapshot([options.dynamoGroup]);
  await dynamo.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
  const perChange = (cpuSeconds: number): number => (events === 0 ? 0 : Math.round((cpuSeconds * 1e6) / events));
  return {
    events,
    itemsWritten,
    requests,
    seconds: Math.round(seconds * 100) / 100,
    eventsPerSecond: Math.round(events / seconds),
    consumerMicrosecondsPerChange: perChange((cpu.user + cpu.system) / 1e6),
    dynamoMicrosecondsPerChange: perChange((dynamoAfter.groups[options.dynamoGroup.name] ?? 0) - (dynamoBefore.groups[options.dynamoGroup.name] ?? 0)),
    method:
      "the phase's change events read again from the change topic, converted by transformMessage, written with plain BatchWriteItem (25 a call, the last command per key in each call, 4 calls in flight) into a fresh table; no guard, tombstones, DLQ or writes topic; CPU of the benchmark process and the emulator while it ran",
  };
}

/** Plain BatchWriteItem of the commands' final states, 25 a call, 4 in flight. */
async function writeUnguarded(dynamo: DynamoDBClient, table: string, commands: WriteCommand[]): Promise<{ items: number; requests: number }> {
  // One request per key (BatchWriteItem refuses a key twice): the last command of each key wins.
  const byKey = new Map<string, WriteRequest>();
  for (const command of commands) {
    const keyText = JSON.stringify(command.key);
    byKey.delete(keyText);
    if (command.op === 'delete') byKey.set(keyText, { DeleteRequest: { Key: toSdkItem(command.key) } });
    else if (command.op === 'put') byKey.set(keyText, { PutRequest: { Item: toSdkItem(command.item) } });
  }
  const requestsList = [...byKey.values()];
  const chunks: WriteRequest[][] = [];
  for (let index = 0; index < requestsList.length; index += 25) chunks.push(requestsList.slice(index, index + 25));
  let next = 0;
  let requests = 0;
  await Promise.all(
    Array.from({ length: Math.min(4, chunks.length) }, async () => {
      while (next < chunks.length) {
        let pending = chunks[next++] as WriteRequest[];
        for (let attempt = 0; pending.length > 0; attempt++) {
          if (attempt > 20) throw new Error(`BatchWriteItem into ${table}: ${pending.length} items still unprocessed after 20 retries`);
          if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 10 * 2 ** attempt)));
          requests++;
          const response = await dynamo.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }));
          pending = response.UnprocessedItems?.[table] ?? [];
        }
      }
    }),
  );
  return { items: requestsList.length, requests };
}
