import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
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
  /** Average cores used by DynamoDB Local, by this process (the SDK client side), and by the machine. */
  dynamoLocalCores: number;
  clientCores: number;
  machineBusyCores: number;
}

/**
 * How fast the writer's own code path (`applyBatch`: version-guarded puts) can write real commands
 * into DynamoDB Local at each concurrency, into a scratch copy of the pipeline's table. Each level
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
        dynamoLocalCores: cpu.groups[dynamoGroup.name] ?? 0,
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
