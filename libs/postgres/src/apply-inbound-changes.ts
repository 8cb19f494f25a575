import type { AttributeMap } from '@pg2ddb/contracts';
import { Pg2ddbError } from '@pg2ddb/errors';
import type { PgParam } from '@pg2ddb/mapping';
import type { Pool, PoolClient } from 'pg';

import { quoteIdent } from './pg-pool';

/** A row as the way back writes it (from `itemToRow`). */
export interface InboundRow {
  /** Identity of the row: JSON of its primary key values in `primaryKey` order. */
  readonly rowKey: string;
  readonly params: Readonly<Record<string, PgParam>>;
  readonly insertDefaults: Readonly<Record<string, string>>;
}

/** One DynamoDB item change, ready for PostgreSQL. */
export interface InboundChange {
  readonly entity: string;
  /** Identity of the DynamoDB item (`writeCommandKey`). */
  readonly itemKey: string;
  /** Decimal digits; a change applies only over a smaller version of the same item. */
  readonly version: string;
  readonly op: 'put' | 'delete';
  /** put: the new row; delete: the row of the old image. */
  readonly row: InboundRow;
  /** put: the item, kept to rebuild the row if another item of the same row goes away. */
  readonly image?: AttributeMap;
}

export interface InboundTarget {
  readonly schema: string;
  readonly table: string;
  readonly primaryKey: readonly string[];
}

export interface ApplyInboundOptions {
  readonly topicPrefix: string;
  readonly target: (entity: string) => InboundTarget;
  /** The row of a stored image (the inverse mapping again). */
  readonly rowOfImage: (entity: string, image: AttributeMap) => InboundRow;
}

export type InboundOutcome = { readonly status: 'applied' | 'stale' } | { readonly status: 'failed'; readonly error: Pg2ddbError };

export const PgWriteErrorCode = {
  /** PostgreSQL refused the row (constraint, type, value): dead-letter it. */
  RowRefused: 'PG_ROW_REFUSED',
  /** Connection lost, serialization failure, deadlock, shutdown: retry the batch. */
  Unavailable: 'PG_UNAVAILABLE',
} as const;

// SQLSTATE classes that say "try again": connection (08), transaction rollback (40: serialization,
// deadlock), insufficient resources (53), operator intervention (57: admin shutdown), system (58).
const RETRIABLE_CLASSES = new Set(['08', '40', '53', '57', '58']);

/** Classifies a `pg` error: retriable (the batch is retried) or the row's own fault (dead letter). */
export function classifyPgError(error: unknown): Pg2ddbError {
  if (error instanceof Pg2ddbError) return error;
  const sqlState = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof sqlState === 'string' && /^[0-9A-Z]{5}$/.test(sqlState) && !RETRIABLE_CLASSES.has(sqlState.slice(0, 2))) {
    const detail = (error as { detail?: string }).detail;
    return new Pg2ddbError(PgWriteErrorCode.RowRefused, `PostgreSQL refused the row (SQLSTATE ${sqlState}): ${message}${detail ? ` (${detail})` : ''}`, {
      cause: error,
      details: { sqlState },
    });
  }
  return new Pg2ddbError(PgWriteErrorCode.Unavailable, `PostgreSQL unavailable: ${message}`, { retriable: true, cause: error, details: { sqlState } });
}

/**
 * Applies one batch of DynamoDB changes in ONE transaction, each change in its own savepoint.
 * The guard is per item (`pg2ddb.inbound_items`): a change applies only when its version is above
 * the item's last one, and a delete leaves a tombstone, so replays and out-of-order delivery
 * converge. A row is written from the newest live item that maps to it and deleted when none is
 * left (a key change made as put-new-then-delete-old keeps the row). A change PostgreSQL refuses
 * comes back `failed` (its savepoint rolled back, the rest of the batch commits); a retriable
 * error rolls the whole batch back and is thrown.
 */
export async function applyInboundChanges(pool: Pool, changes: readonly InboundChange[], options: ApplyInboundOptions): Promise<InboundOutcome[]> {
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw classifyPgError(error);
  }
  let broken = false;
  try {
    await client.query('BEGIN');
    const outcomes: InboundOutcome[] = [];
    for (const change of changes) {
      await client.query('SAVEPOINT inbound_change');
      try {
        const status = await applyOne(client, change, options);
        await client.query('RELEASE SAVEPOINT inbound_change');
        outcomes.push({ status });
      } catch (error) {
        const classified = classifyPgError(error);
        if (classified.retriable) throw classified;
        await client.query('ROLLBACK TO SAVEPOINT inbound_change');
        outcomes.push({ status: 'failed', error: classified });
      }
    }
    await client.query('COMMIT');
    return outcomes;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw classifyPgError(error);
  } finally {
    client.release(broken);
  }
}

/** Numeric order of two decimal-digit versions. */
export function compareVersions(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

async function applyOne(client: PoolClient, change: InboundChange, options: ApplyInboundOptions): Promise<'applied' | 'stale'> {
  const { topicPrefix } = options;
  // Serialise per row: two items of one row (a key change's delete and put, from two partitions)
  // decided in two concurrent transactions could each miss the other and delete a live row.
  await lockRow(client, topicPrefix, change.entity, change.row.rowKey);
  const previous = await client.query<{ version: string; deleted: boolean; row_key: string }>(
    `SELECT version::text AS version, deleted, row_key FROM pg2ddb.inbound_items
      WHERE topic_prefix = $1 AND entity = $2 AND item_key = $3 FOR UPDATE`,
    [topicPrefix, change.entity, change.itemKey],
  );
  const before = previous.rows[0];
  if (before && compareVersions(before.version, change.version) >= 0) return 'stale';
  await client.query(
    `INSERT INTO pg2ddb.inbound_items (topic_prefix, entity, item_key, row_key, version, deleted, image, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now())
     ON CONFLICT (topic_prefix, entity, item_key)
     DO UPDATE SET row_key = EXCLUDED.row_key, version = EXCLUDED.version, deleted = EXCLUDED.deleted, image = EXCLUDED.image, updated_at = now()`,
    [topicPrefix, change.entity, change.itemKey, change.row.rowKey, change.version, change.op === 'delete', change.op === 'put' ? JSON.stringify(change.image ?? null) : null],
  );
  const target = options.target(change.entity);
  await settleRow(client, target, change, change.row.rowKey, options);
  // The item used to map to another row (its attributes moved it): that row may be orphaned now.
  if (before && !before.deleted && before.row_key !== change.row.rowKey) {
    await lockRow(client, topicPrefix, change.entity, before.row_key);
    await settleRow(client, target, change, before.row_key, options);
  }
  return 'applied';
}

/** A transaction-scoped advisory lock on one row of the way back (released at commit or rollback). */
async function lockRow(client: PoolClient, topicPrefix: string, entity: string, rowKey: string): Promise<void> {
  await client.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`pg2ddb.inbound|${topicPrefix}|${entity}|${rowKey}`]);
}

/** Writes the row from its newest live item, or deletes it when no live item maps to it. */
async function settleRow(client: PoolClient, target: InboundTarget, change: InboundChange, rowKey: string, options: ApplyInboundOptions): Promise<void> {
  const live = await client.query<{ item_key: string; image: AttributeMap }>(
    `SELECT item_key, image FROM pg2ddb.inbound_items
      WHERE topic_prefix = $1 AND entity = $2 AND row_key = $3 AND NOT deleted
      ORDER BY version DESC LIMIT 1`,
    [options.topicPrefix, change.entity, rowKey],
  );
  const newest = live.rows[0];
  if (!newest) {
    const values = JSON.parse(rowKey) as PgParam[];
    const where = target.primaryKey.map((column, index) => `${quoteIdent(column)} = $${index + 1}`).join(' AND ');
    await client.query(`DELETE FROM ${quoteIdent(target.schema)}.${quoteIdent(target.table)} WHERE ${where}`, values);
    return;
  }
  const row = newest.item_key === change.itemKey && change.op === 'put' ? change.row : options.rowOfImage(change.entity, newest.image);
  await upsertRow(client, target, row);
}

async function upsertRow(client: PoolClient, target: InboundTarget, row: InboundRow): Promise<void> {
  const columns = [...Object.keys(row.params), ...Object.keys(row.insertDefaults).filter((c) => !(c in row.params))];
  const values = columns.map((column) => (column in row.params ? row.params[column] : row.insertDefaults[column]) ?? null);
  const primaryKey = new Set(target.primaryKey);
  const updates = Object.keys(row.params)
    .filter((column) => !primaryKey.has(column))
    .map((column) => `${quoteIdent(column)} = EXCLUDED.${quoteIdent(column)}`);
  const sql =
    `INSERT INTO ${quoteIdent(target.schema)}.${quoteIdent(target.table)} (${columns.map(quoteIdent).join(', ')}) ` +
    `VALUES (${columns.map((_c, index) => `$${index + 1}`).join(', ')}) ` +
    `ON CONFLICT (${target.primaryKey.map(quoteIdent).join(', ')}) ` +
    (updates.length > 0 ? `DO UPDATE SET ${updates.join(', ')}` : 'DO NOTHING');
  await client.query(sql, values);
}
