import { changeTopic, topicNames } from '@pg2ddb/contracts';
import { countItems } from '@pg2ddb/dynamo';
import { partialReads } from '@pg2ddb/errors';
import { ConnectClient, consumerLag, peekMessage, pendingDeadLetters } from '@pg2ddb/kafka';
import { countRows, latestReconciliationRuns, type ReconciliationRun } from '@pg2ddb/postgres';
import type { PipelineClients } from './pipeline-clients';

/** One entity's state at one moment. */
export interface EntityState {
  entity: string;
  source: string;
  rows: number;
  items: number;
  /** Messages of this entity's change topic the transformer has not consumed. */
  transformerLag: number;
  lastReconciliation?: ReconciliationRun;
}

/** The pipeline's state at one moment: what `status` shows and `cutover-check` judges. */
export interface PipelineState {
  at: number;
  connector: { name: string; state: string; tasks: string[]; traces?: Array<{ part: string; trace: string }> };
  entities: EntityState[];
  /** Write commands the writer has not applied yet. */
  writerLag: number;
  /** When the writer's last applied command was produced (ms), if any. */
  lastAppliedAt?: number;
  /** Dead letters not yet re-submitted by `pg2ddb dlq replay` (the DLQ topic itself is append-only). */
  deadLetters: number;
  errors: string[];
}

/**
 * Gathers connector state, per-entity rows vs items, consumer lag of the transformer and writer
 * groups, the age of the last applied write, the DLQ size and the latest reconciliation run per
 * entity. A part that fails is reported in `errors` instead of failing the whole picture.
 */
export async function readPipelineState(context: PipelineClients): Promise<PipelineState> {
  const { mapping, prefix } = context;
  const topics = topicNames(prefix);
  const { errors, guard } = partialReads();
  const entities = mapping.entities.filter((entity) => entity.mode === 'item');
  const [connector, writerLag, deadLetters, runs, lastAppliedAt, perEntity] = await Promise.all([
    guard('connector', async () => {
      const status = await new ConnectClient(context.connectUrl, context.connectAuth).status(context.connectorName);
      const traces = status
        ? [{ part: 'connector', trace: status.connector.trace }, ...status.tasks.map((task) => ({ part: `task ${task.id}`, trace: task.trace }))].filter(
            (entry): entry is { part: string; trace: string } => typeof entry.trace === 'string' && entry.trace !== '',
          )
        : [];
      return {
        name: context.connectorName,
        state: status?.connector.state ?? 'ABSENT',
        tasks: status?.tasks.map((t) => t.state) ?? [],
        ...(traces.length > 0 ? { traces } : {}),
      };
    }, { name: context.connectorName, state: 'UNKNOWN', tasks: [] as string[] }),
    guard('writer lag', () => consumerLag(context.kafka, `${prefix}.writer`, [topics.writes]), -1),
    guard('dead letters', () => pendingDeadLetters(context.kafka, prefix), -1),
    guard('reconciliation runs', () => latestReconciliationRuns(context.pg, prefix), [] as ReconciliationRun[]),
    guard('last applied', () => lastAppliedTimestamp(context, topics.writes), undefined as number | undefined),
    Promise.all(
      entities.map(async (entity) => ({
        entity: entity.name,
        source: `${entity.schema}.${entity.table}`,
        rows: await guard(`rows of ${entity.name}`, () => countRows(context.pg, entity.schema, entity.table), -1),
        items: await guard(`items of ${entity.name}`, () => countItems(context.dynamo, mapping.table.name, { attribute: entity.entityType.attribute, value: entity.entityType.value }), -1),
        transformerLag: await guard(`transformer lag of ${entity.name}`, () => consumerLag(context.kafka, `${prefix}.transformer`, [changeTopic(prefix, entity.schema, entity.table)]), -1),
      })),
    ),
  ]);
  return {
    at: Date.now(),
    connector,
    entities: perEntity.map((state) => ({ ...state, lastReconciliation: runs.find((run) => run.entity === state.entity) })),
    writerLag,
    ...(lastAppliedAt !== undefined ? { lastAppliedAt } : {}),
    deadLetters,
    errors,
  };
}

// The writer commits an offset after applying the message before it: that message's timestamp.
async function lastAppliedTimestamp(context: PipelineClients, writes: string): Promise<number | undefined> {
  const admin = context.kafka.admin();
  await admin.connect();
  let latest: { partition: number; offset: bigint } | undefined;
  try {
    if (!(await admin.listTopics()).includes(writes)) return undefined;
    const [committed] = await admin.fetchOffsets({ groupId: `${context.prefix}.writer`, topics: [writes] });
    for (const partition of committed?.partitions ?? []) {
      const offset = BigInt(partition.offset);
      if (offset > 0n && (!latest || offset > latest.offset)) latest = { partition: partition.partition, offset };
    }
  } finally {
    await admin.disconnect();
  }
  if (!latest) return undefined;
  const message = await peekMessage(context.kafka, writes, latest.partition, String(latest.offset - 1n), 4000);
  return message?.timestamp;
}
