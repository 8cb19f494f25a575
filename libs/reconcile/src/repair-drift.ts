import { RESERVED_ATTRIBUTES, topicNames, writeCommandKey, type AttributeMap, type SourceCoordinates, type WriteCommand } from '@pg2ddb/contracts';
import { readRowsByKeys } from '@pg2ddb/postgres';
import { formatVersion } from '@pg2ddb/sync';
import type { Producer } from 'kafkajs';
import type { Pool } from 'pg';

import type { DriftCandidate } from './drift-candidate';
import { readExpectedChildren, type ExpectedChildren } from './embedded-children';
import { expectedItem, keyIdentity, type EntityView } from './entity-view';

/** How long a repair waits for its row (or table) locks, and runs a statement, on the source. */
export const REPAIR_LOCK_TIMEOUT_MS = 2000;
export const REPAIR_STATEMENT_TIMEOUT_MS = 30000;

/** What a repair sent through the pipeline. */
export interface RepairResult {
  /** Items re-put from their row. */
  put: number;
  /** Items deleted because no row maps to them. */
  deleted: number;
  /** Candidates left alone: the row changed or vanished meanwhile, so the pipeline owns them. */
  skipped: number;
  /** The repair's source version (hex), below every change committed after the repair read. */
  version: string;
}

/**
 * Re-syncs confirmed drift through the pipeline: write commands on `<prefix>.writes`, the same
 * contract the transformer emits, so the writer's version guard and per-key ordering apply.
 *
 * The version must lose to every later change and beat the stale item. Inside one transaction the
 * repair locks the rows it re-reads (`FOR SHARE`, row locks only), reads `pg_current_wal_lsn()` =
 * X, and emits a transactional logical message so the transaction is decoded by the connector.
 * The commands carry version (X, 0): every change committed before has a commit-side position
 * below X, and every change committed after this transaction is decoded after it, so its
 * commit-side position (Debezium's lastCommitLsn) is at least this commit's end, above X.
 *
 * A delete has no row to lock: a row inserted (or moved) under the item by a transaction that
 * commits between the read and this commit would be invisible to the read and could sort below X.
 * So after the commit the repair reads those keys again: anything committed before its own commit
 * is visible then, and a row found there means the item is not deleted; anything committed later
 * is decoded after the repair's message and wins over the delete by version. No table lock: a long
 * transaction of the application on other rows never stops a repair, nor queues writers behind it.
 */
export async function repairDrift(pg: Pool, producer: Producer, view: EntityView, drift: readonly DriftCandidate[], context: { topicPrefix: string; runId: string; sourceEpoch?: number; lockTimeoutMs?: number; statementTimeoutMs?: number }): Promise<RepairResult> {
  const toPut = drift.filter((candidate) => candidate.diff.kind !== 'unexpected' && candidate.sourceKey);
  const toDelete = drift.filter((candidate) => candidate.diff.kind === 'unexpected');
  const client = await pg.connect();
  let lsn: bigint;
  let rows;
  let children: ExpectedChildren | undefined;
  try {
    await client.query('BEGIN');
    // Never queue behind a long transaction on the primary (a waiting lock would block every writer
    // queued behind it) and never run long: give up, name the cause, let the next run retry.
    await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(context.lockTimeoutMs ?? REPAIR_LOCK_TIMEOUT_MS))}`);
    await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(context.statementTimeoutMs ?? REPAIR_STATEMENT_TIMEOUT_MS))}`);
    rows = await readRowsByKeys(
      client,
      view.source,
      [...toPut, ...toDelete].flatMap((candidate) => (candidate.sourceKey ? [candidate.sourceKey] : [])),
      'FOR SHARE',
    );
    // Embedded children are repaired entry by entry, from their rows read under the same lock.
    if (view.children && view.children.length > 0) {
      children = (await readExpectedChildren(client, view.children, rows, (key) => keyIdentity(view, key), { lock: 'FOR SHARE' })).expected;
    }
    const { rows: position } = await client.query<{ lsn: string }>(`SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::text AS lsn`);
    lsn = BigInt(position[0]!.lsn);
    await client.query(`SELECT pg_logical_emit_message(true, 'pg2ddb.repair', $1)`, [context.runId]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    const code = (error as { code?: unknown }).code;
    if (code === '55P03' || code === '57014') {
      throw new Error(
        `repair of ${view.source.schema}.${view.source.table} gave up: ${code === '55P03' ? 'its locks were held by another transaction' : 'it ran too long'} (lock_timeout ${context.lockTimeoutMs ?? REPAIR_LOCK_TIMEOUT_MS} ms, statement_timeout ${context.statementTimeoutMs ?? REPAIR_STATEMENT_TIMEOUT_MS} ms); nothing was written, the next run retries`,
        { cause: error },
      );
    }
    throw error;
  } finally {
    client.release();
  }
  // The per-key re-check of the deletes, after the commit (see above).
  const deleteKeys = toDelete.flatMap((candidate) => (candidate.sourceKey ? [candidate.sourceKey] : []));
  const recheck = deleteKeys.length > 0 ? await readRowsByKeys(pg, view.source, deleteKeys) : [];

  const epoch = context.sourceEpoch ?? 0;
  const putVersion = formatVersion({ commitLsn: lsn, changeLsn: 0n, rank: 1, epoch });
  const deleteVersion = formatVersion({ commitLsn: lsn, changeLsn: 0n, rank: 0, epoch });
  const current = new Map<string, AttributeMap>();
  for (const row of [...rows, ...recheck]) {
    try {
      const mapped = expectedItem(view, row, putVersion);
      current.set(keyIdentity(view, mapped.key), mapped.item);
    } catch {
      // Unmappable now: the pipeline dead-letters it; nothing to repair from.
    }
  }
  const source: SourceCoordinates = {
    topic: `${context.topicPrefix}.reconciler`,
    partition: -1,
    offset: '-1',
    schema: view.source.schema,
    table: view.source.table,
    lsn: lsn.toString(),
    txId: null,
    snapshot: true,
    committedAtMs: Date.now(),
  };
  const base = { v: 1 as const, table: view.table.name, entity: view.entity.name, source };
  const commands: WriteCommand[] = [];
  let skipped = 0;
  for (const candidate of toPut) {
    const item = current.get(keyIdentity(view, candidate.key));
    if (!item) {
      skipped++;
      continue;
    }
    if (view.entity.upsertAsUpdate) {
      // Embedded children live in this item: set the entity's attributes, keep the children.
      const set: AttributeMap = {};
      for (const [name, value] of Object.entries(item)) if (!view.keyNames.includes(name) && name !== RESERVED_ATTRIBUTES.version) set[name] = value;
      const remove = candidate.diff.attributes.filter((a) => a.expected === null && !view.ignore.includes(a.name) && !isChildPath(view, a.name)).map((a) => a.name);
      commands.push({ ...base, op: 'update', key: candidate.key, version: putVersion, set, remove });
      commands.push(...childRepairs(view, candidate, children?.get(keyIdentity(view, candidate.key)), { ...base, putVersion, deleteVersion }));
    } else {
      commands.push({ ...base, op: 'put', key: candidate.key, version: putVersion, item });
    }
  }
  let deleted = 0;
  for (const candidate of toDelete) {
    if (current.has(keyIdentity(view, candidate.key))) {
      skipped++; // a row maps here now
      continue;
    }
    commands.push({ ...base, op: 'delete', key: candidate.key, version: deleteVersion });
    deleted++;
  }
  if (commands.length > 0) {
    await producer.send({
      topic: topicNames(context.topicPrefix).writes,
      acks: -1,
      messages: commands.map((command) => ({ key: writeCommandKey(command), value: JSON.stringify(command), headers: { 'pg2ddb-origin': 'reconciler-repair', 'pg2ddb-run-id': context.runId } })),
    });
  }
  return { put: commands.length - deleted, deleted, skipped, version: putVersion };
}

function isChildPath(view: EntityView, name: string): boolean {
  return (view.children ?? []).some((child) => name.startsWith(`${child.attribute}.`));
}

/**
 * One guarded update per differing child entry, as the transformer writes them: set the entry from
 * its row (stamped with the repair version), or remove an entry no row backs. Each entry's own
 * `_ver` guards it, so a child change newer than the repair read is never overwritten.
 */
function childRepairs(
  view: EntityView,
  candidate: DriftCandidate,
  entries: ReadonlyMap<string, AttributeMap[string]> | undefined,
  context: { v: 1; table: string; source: SourceCoordinates; putVersion: string; deleteVersion: string },
): WriteCommand[] {
  const commands: WriteCommand[] = [];
  for (const difference of candidate.diff.attributes) {
    const child = (view.children ?? []).find((entry) => difference.name.startsWith(`${entry.attribute}.`));
    if (!child) continue;
    const path = difference.name;
    const value = entries?.get(path);
    const base = { v: context.v, table: context.table, source: context.source, entity: child.entity.name, key: candidate.key, op: 'update' as const, guard: path };
    if (value !== undefined && 'M' in value) {
      commands.push({ ...base, version: context.putVersion, set: { [path]: { M: { ...value.M, [RESERVED_ATTRIBUTES.version]: { S: context.putVersion } } } }, remove: [] });
    } else {
      commands.push({ ...base, version: context.deleteVersion, set: {}, remove: [path] });
    }
  }
  return commands;
}
