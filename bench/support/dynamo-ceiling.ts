import { BatchWriteItemCommand, DeleteTableCommand, type DynamoDBClient, type AttributeValue as SdkAttributeValue, type WriteRequest } from '@aws-sdk/client-dynamodb';
import type { AttributeValue, TableSpec, WriteCommand } from '@pg2ddb/contracts';
import { applyBatch, ensureTable } from '@pg2ddb/dynamo';
import { cpuBetween, cpuSnapshot, type ProcessGroup } from './process-cpu';

/** The writer's DynamoDB path alone at one concurrency: no Kafka, no decoding. */
export interface CeilingPoint {
  concurrency: number;
  commands: number;
  seconds: number;
  commandsPerSecond: number;
  applied: number;
  failed: number;
  /** Average cores used by the DynamoDB emulator, by this process (the SDK client side), and by the machine. */
  dynamoCores: number;
  clientCores: number;
  machineBusyCores: number;
}

/**
 * How fast the writer's own code path (`applyBatch`: version-guarded puts) can write real commands
 * into the DynamoDB emulator at each concurrency, into a scratch copy of the pipeline's table. Each level
 * writes fresh keys, so every put is a real insert as in the initial load.
 */
export async function measureDynamoCeiling(
  client: DynamoDBClient,
  spec: TableSpec,
  commands: readonly WriteCommand[],
  levels: readonly number[],
  dynamoGroup: ProcessGroup,
): Promise<CeilingPoint[]> {
  const table = `${spec.name}-ceiling`;
  await ensureTable(client, { ...spec, name: table });
  try {
    const points: CeilingPoint[] = [];
    for (const concurrency of levels) {
      const batch = commands.map((command) => retarget(command, table, spec.partitionKey.name, `C${concurrency}#`));
      const before = cpuSnapshot([dynamoGroup]);
      const clientBefore = process.cpuUsage();
      const started = process.hrtime.bigint();
      const result = await applyBatch(client, batch, { concurrency, retry: { maxAttempts: 8, baseDelayMs: 50, maxDelayMs: 5000 } });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const cpu = cpuBetween(before, cpuSnapshot([dynamoGroup]));
      const clientCpu = process.cpuUsage(clientBefore);
      points.push({
        concurrency,
        commands: batch.length,
        seconds: Math.round(seconds * 100) / 100,
        commandsPerSecond: Math.round(batch.length / seconds),
        applied: result.counts.applied,
        failed: result.counts.failed,
        dynamoCores: cpu.groups[dynamoGroup.name] ?? 0,
        clientCores: Math.round(((clientCpu.user + clientCpu.system) / 1e6 / seconds) * 100) / 100,
        machineBusyCores: cpu.machineBusy,
      });
    }
    return points;
  } finally {
    await client.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
  }
}

/** The same command for another table, its partition key prefixed so each level writes new items. */
function retarget(command: WriteCommand, table: string, partitionKey: string, prefix: string): WriteCommand {
  const copy = JSON.parse(JSON.stringify(command)) as WriteCommand;
  copy.table = table;
  const rekey = (map: Record<string, AttributeValue>): void => {
    const value = map[partitionKey];
    if (value && 'S' in value) map[partitionKey] = { S: `${prefix}${value.S}` };
  };
  rekey(copy.key);
  if (copy.op === 'put') rekey(copy.item);
  return copy;
}

/** Plain BatchWriteItem at one concurrency: the most the emulator ingests, with no guard or version. */
export interface BatchWritePoint {
  concurrency: number;
  items: number;
  requests: number;
  /** BatchWriteItem calls that only resubmitted unprocessed items. */
  retryRequests: number;
  seconds: number;
  itemsPerSecond: number;
  dynamoCores: number;
  clientCores: number;
  machineBusyCores: number;
}

/**
 * The raw ingest ceiling: `concurrency` loops each sending BatchWriteItem requests of 25 plain puts
 * back to back (unprocessed items resubmitted) until every item is in, into a fresh scratch table
 * with the pipeline table's keys and GSIs (one table per level, so each level writes into an
 * empty table of the same shape). Items are in the SDK's attribute-value form.
 */
export async function measureBatchWriteCeiling(
  client: DynamoDBClient,
  spec: TableSpec,
  items: ReadonlyArray<Record<string, SdkAttributeValue>>,
  levels: readonly number[],
  dynamoGroup: ProcessGroup,
): Promise<BatchWritePoint[]> {
  const points: BatchWritePoint[] = [];
  const chunks: Array<Record<string, SdkAttributeValue>[]> = [];
  for (let index = 0; index < items.length; index += 25) chunks.push(items.slice(index, index + 25));
  for (const concurrency of levels) {
    const table = `${spec.name}-bw${concurrency}`;
    // TTL stays off, as on the pipeline's test table (DynamoDB deletes expired items).
    const { ttlAttribute: _ttl, ...withoutTtl } = spec;
    await ensureTable(client, { ...withoutTtl, name: table });
    try {
      let next = 0;
      let requests = 0;
      let retryRequests = 0;
      const before = cpuSnapshot([dynamoGroup]);
      const clientBefore = process.cpuUsage();
      const started = process.hrtime.bigint();
      await Promise.all(
        Array.from({ length: Math.min(concurrency, chunks.length) }, async () => {
          while (next < chunks.length) {
            const chunk = chunks[next++] as Array<Record<string, SdkAttributeValue>>;
            let pending: WriteRequest[] = chunk.map((item) => ({ PutRequest: { Item: item } }));
            for (let attempt = 0; pending.length > 0; attempt++) {
              if (attempt > 0) {
                retryRequests++;
                await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 10 * 2 ** attempt)));
              }
              requests++;
              const response = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }));
              pending = response.UnprocessedItems?.[table] ?? [];
              if (attempt > 20) throw new Error(`BatchWriteItem into ${table}: ${pending.length} items still unprocessed after 20 retries`);
            }
          }
        }),
      );
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const cpu = cpuBetween(before, cpuSnapshot([dynamoGroup]));
      const clientCpu = process.cpuUsage(clientBefore);
      points.push({
        concurrency,
        items: items.length,
        requests,
        retryRequests,
        seconds: Math.round(seconds * 100) / 100,
        itemsPerSecond: Math.round(items.length / seconds),
        dynamoCores: cpu.groups[dynamoGroup.name] ?? 0,
        clientCores: Math.round(((clientCpu.user + clientCpu.system) / 1e6 / seconds) * 100) / 100,
        machineBusyCores: cpu.machineBusy,
      });
    } finally {
      await client.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
    }
  }
  return points;
}
