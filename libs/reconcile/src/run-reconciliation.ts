import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { changeTopic, redactDriftEvent, topicNames, writeCommandKey, type DriftEvent, type DriftSummary, type ReconcileMode } from '@pg2ddb/contracts';
import { countItems } from '@pg2ddb/dynamo';
import { defaultSlotName } from '@pg2ddb/kafka';
import type { CompiledEntity, CompiledMapping } from '@pg2ddb/mapping';
import { countRows, currentWalLsn, recordRunFinished, recordRunStarted, sourceColumnTypes } from '@pg2ddb/postgres';
import { formatVersion } from '@pg2ddb/sync';
import type { Kafka, Producer } from 'kafkajs';
import type { Pool } from 'pg';

import { compareEntity, type CompareOptions } from './compare-entity';
import { confirmCandidates } from './confirm-candidates';
import { countSummary } from './count-summary';
import type { DriftCandidate } from './drift-candidate';
import { childViews } from './embedded-children';
import { entityView, type EntityView } from './entity-view';
import { repairDrift, type RepairResult } from './repair-drift';
import type { PipelineProgress } from './wait-for-pipeline';

/** The connections and settings a reconciliation run uses (shared by the service and the cli). */
export interface ReconcileContext {
  pg: Pool;
  dynamo: DynamoDBClient;
  kafka: Kafka;
  /** Publishes drift events, summaries and repair commands. */
  producer: Producer;
  mapping: CompiledMapping;
  topicPrefix: string;
  /** The connector's replication slot (default: the one `connector apply` names for the prefix). */
  slot?: string;
  /** Keep run history in `pg2ddb.reconciliation_runs` (migrate first). */
  history?: boolean;
  /** The source epoch (PG2DDB_SOURCE_EPOCH) the transformer stamps into versions; repairs use it too. */
  sourceEpoch?: number;
  /** PG2DDB_REDACT_VALUES: drift events (published and reported) carry attribute names and keys, not values. */
  redactValues?: boolean;
}

/** What to run. */
export interface ReconcileRequest {
  mode: ReconcileMode;
  /** Entity names (default: every entity with items of its own). */
  entities?: string[];
  sampleSize?: number;
  recent?: { column: string; windowSeconds: number };
  /** Re-sync confirmed drift through the writes topic (off by default). */
  repair?: boolean;
  /** How long confirmation waits for the pipeline to catch up before calling candidates in flight. */
  confirmTimeoutMs?: number;
  /** Publish drift events and summaries on `<prefix>.drift` (default true). */
  publish?: boolean;
  /** Mode `full`: run the rows → items pass even when the counts show every row has its item. */
  bothDirections?: boolean;
  pageSize?: number;
  scanSegments?: number;
  concurrency?: number;
  /** Rows/items compared per second at most (0 or absent: no limit). */
  maxRowsPerSecond?: number;
  onProgress?: (progress: { entity: string; phase: 'rows' | 'items' | 'confirming' | 'repairing'; done: number; total?: number }) => void;
}

/** One entity's outcome. */
export interface EntityReport {
  summary: DriftSummary;
  /** Confirmed drift (also published, one event each). */
  drift: DriftEvent[];
  /**
   * Items whose `_ver` is above the source's current position (see `CompareResult.versionsAhead`):
   * the source moved to a new WAL history; bump PG2DDB_SOURCE_EPOCH (docs/runbook.md). 0 in mode `count`.
   */
  versionsAhead: number;
  repair?: RepairResult;
}

export interface ReconcileReport {
  runId: string;
  entities: EntityReport[];
}

/**
 * One reconciliation run over the chosen entities: compare (see `compareEntity`), confirm each
 * candidate after the pipeline caught up past the moment it was seen (see `waitForPipeline`; a
 * row that changed meanwhile is then equal again, so concurrent writes raise no alarm), publish
 * one drift event per confirmed item and one summary per entity, optionally repair, and record
 * the run in the history table.
 */
export async function runReconciliation(context: ReconcileContext, request: ReconcileRequest): Promise<ReconcileReport> {
  const runId = randomUUID();
  const entities = pickEntities(context.mapping, request.entities);
  const reports: EntityReport[] = [];
  for (const entity of entities) reports.push(await reconcileOne(context, request, runId, entity));
  return { runId, entities: reports };
}

async function reconcileOne(context: ReconcileContext, request: ReconcileRequest, runId: string, entity: CompiledEntity): Promise<EntityReport> {
  const startedAt = new Date();
  const table = context.mapping.table.name;
  if (context.history) {
    await recordRunStarted(context.pg, { runId, topicPrefix: context.topicPrefix, tableName: table, entity: entity.name, mode: request.mode, startedAt });
  }
  try {
    const report = request.mode === 'count' ? await countOne(context, runId, entity, startedAt) : await compareOne(context, request, runId, entity, startedAt);
    if (request.publish ?? true) await publish(context, report);
    if (context.history) {
      const counts = report.summary.counts;
      await recordRunFinished(context.pg, {
        runId,
        entity: entity.name,
        finishedAt: new Date(report.summary.finishedAt),
        checked: counts.checked,
        matched: counts.matched ?? 0,
        missing: counts.missing,
        unexpected: counts.unexpected,
        mismatch: counts.mismatch,
        inFlight: counts.inFlight,
        consistencyRate: report.summary.consistencyRate,
        repaired: counts.repaired ?? 0,
        status: 'succeeded',
        error: null,
      });
    }
    return report;
  } catch (error) {
    if (context.history) {
      await recordRunFinished(context.pg, {
        runId,
        entity: entity.name,
        finishedAt: new Date(),
        checked: 0,
        matched: 0,
        missing: 0,
        unexpected: 0,
        mismatch: 0,
        inFlight: 0,
        consistencyRate: null,
        repaired: 0,
        status: 'failed',
        error: error instanceof Error ? error.message : String(error),
      }).catch(() => undefined);
    }
    throw error;
  }
}

async function countOne(context: ReconcileContext, runId: string, entity: CompiledEntity, startedAt: Date): Promise<EntityReport> {
  const [rows, items] = await Promise.all([
    countRows(context.pg, entity.schema, entity.table),
    countItems(context.dynamo, context.mapping.table.name, { attribute: entity.entityType.attribute, value: entity.entityType.value }),
  ]);
  return { summary: countSummary({ runId, table: context.mapping.table.name, entity: entity.name, rows, items, startedAt, finishedAt: new Date() }), drift: [], versionsAhead: 0 };
}

async function compareOne(context: ReconcileContext, request: ReconcileRequest, runId: string, entity: CompiledEntity, startedAt: Date): Promise<EntityReport> {
  const view = entityView(context.mapping, entity, await sourceColumnTypes(context.pg, entity.schema, entity.table));
  view.children = await childViews(context.pg, context.mapping, entity);
  const total = request.onProgress && request.mode === 'full' ? await countRows(context.pg, entity.schema, entity.table) : undefined;
  const options: CompareOptions = {
    mode: request.mode as CompareOptions['mode'],
    ...(request.sampleSize ? { sampleSize: request.sampleSize } : {}),
    ...(request.recent ? { recent: request.recent } : {}),
    ...(request.pageSize ? { pageSize: request.pageSize } : {}),
    ...(request.scanSegments ? { scanSegments: request.scanSegments } : {}),
    ...(request.concurrency ? { concurrency: request.concurrency } : {}),
    ...(request.maxRowsPerSecond ? { maxRowsPerSecond: request.maxRowsPerSecond } : {}),
    ...(request.bothDirections ? { bothDirections: true } : {}),
    ...(request.onProgress ? { onProgress: (p) => request.onProgress!({ entity: entity.name, ...p, ...(total !== undefined ? { total } : {}) }) } : {}),
  };
  // Above this, no version can come from the source as it is now: every change is at most here.
  const epoch = context.sourceEpoch ?? 0;
  const sourcePosition = formatVersion({ commitLsn: await currentWalLsn(context.pg), changeLsn: (1n << 64n) - 1n, rank: 1, epoch });
  const compared = await compareEntity(context.pg, context.dynamo, view, { ...options, sourcePosition });

  let confirmed: DriftCandidate[] = [];
  let inFlight = compared.overflow;
  if (compared.candidates.length > 0) {
    request.onProgress?.({ entity: entity.name, phase: 'confirming', done: compared.candidates.length });
    const confirmation = await confirmCandidates(context.pg, context.dynamo, view, compared.candidates, pipelineProgress(context), {
      timeoutMs: request.confirmTimeoutMs ?? 60000,
    });
    confirmed = confirmation.confirmed;
    inFlight += confirmation.inFlight;
  }

  let repair: RepairResult | undefined;
  if (request.repair && confirmed.length > 0) {
    request.onProgress?.({ entity: entity.name, phase: 'repairing', done: confirmed.length });
    repair = await repairDrift(context.pg, context.producer, view, confirmed, { topicPrefix: context.topicPrefix, runId, sourceEpoch: context.sourceEpoch ?? 0 });
  }

  const finishedAt = new Date();
  const detectedAt = finishedAt.toISOString();
  const events = confirmed.map((candidate) => driftEvent(view, candidate, runId, request.mode, detectedAt));
  const drift = context.redactValues ? events.map(redactDriftEvent) : events;
  const byKind = (kind: DriftEvent['kind']) => drift.filter((event) => event.kind === kind).length;
  // A row whose change sits in the DLQ exists only there: it was checked and is not consistent.
  const deadLettered = compared.unmappable;
  const checked = compared.checked + deadLettered;
  const matched = Math.max(0, compared.checked - drift.length - inFlight);
  const summary: DriftSummary = {
    v: 1,
    type: 'summary',
    runId,
    mode: request.mode,
    table: context.mapping.table.name,
    entity: entity.name,
    startedAt: startedAt.toISOString(),
    finishedAt: detectedAt,
    counts: { checked, matched, missing: byKind('missing'), unexpected: byKind('unexpected'), mismatch: byKind('mismatch'), inFlight, repaired: repair ? repair.put + repair.deleted : 0, deadLettered },
    consistencyRate: checked === 0 ? 1 : matched / checked,
    durationMs: finishedAt.getTime() - startedAt.getTime(),
  };
  return { summary, drift, versionsAhead: compared.versionsAhead, ...(repair ? { repair } : {}) };
}

function driftEvent(view: EntityView, candidate: DriftCandidate, runId: string, mode: ReconcileMode, detectedAt: string): DriftEvent {
  return {
    v: 1,
    type: 'drift',
    kind: candidate.diff.kind,
    entity: view.entity.name,
    sourceKey: candidate.sourceKey ?? null,
    table: view.table.name,
    key: candidate.key,
    attributes: candidate.diff.attributes,
    expectedVersion: candidate.diff.expectedVersion,
    actualVersion: candidate.diff.actualVersion,
    runId,
    mode,
    detectedAt,
  };
}

async function publish(context: ReconcileContext, report: EntityReport): Promise<void> {
  const topic = topicNames(context.topicPrefix).drift;
  const summaryKey = `${report.summary.table}|${report.summary.entity}`;
  // Events first, the summary last: a consumer that sees the summary has seen the run's events.
  for (let start = 0; start < report.drift.length; start += 500) {
    await context.producer.send({
      topic,
      acks: -1,
      messages: report.drift.slice(start, start + 500).map((event) => ({ key: writeCommandKey(event), value: JSON.stringify(event) })),
    });
  }
  await context.producer.send({ topic, acks: -1, messages: [{ key: summaryKey, value: JSON.stringify(report.summary) }] });
}

function pipelineProgress(context: ReconcileContext): PipelineProgress {
  const prefix = context.topicPrefix;
  return {
    kafka: context.kafka,
    slot: context.slot ?? defaultSlotName(prefix),
    groups: [
      { groupId: `${prefix}.transformer`, topics: context.mapping.sourceTables().map(({ schema, table }) => changeTopic(prefix, schema, table)) },
      { groupId: `${prefix}.writer`, topics: [topicNames(prefix).writes] },
    ],
  };
}

function pickEntities(mapping: CompiledMapping, names: string[] | undefined): CompiledEntity[] {
  const withItems = mapping.entities.filter((entity) => entity.mode === 'item');
  if (!names || names.length === 0) return withItems;
  return names.map((name) => {
    const entity = mapping.entity(name);
    if (!entity) throw new Error(`no entity "${name}" in the mapping (entities: ${mapping.entities.map((e) => e.name).join(', ')})`);
    if (entity.mode !== 'item') throw new Error(`entity "${name}" is embedded in "${entity.embedded!.parent}": reconcile its parent instead`);
    return entity;
  });
}
