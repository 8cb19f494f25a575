import type { Pool } from 'pg';

/** A backend whose open transaction a replication slot's creation waits for. */
export interface SlotCreationBlocker {
  /** The waiting walsender's pid. */
  waitingPid: number;
  /** The blocking backend: what `pg_terminate_backend(pid)` would end. */
  pid: number;
  user: string | null;
  application: string | null;
  client: string | null;
  /** `idle in transaction`, `active`, ... */
  state: string | null;
  /** When its transaction began (ISO-8601), if known. */
  transactionStart: string | null;
  /** The start of its last statement. */
  query: string | null;
}

/**
 * The backends a logical replication slot's creation is waiting for. A new logical slot becomes
 * consistent only when every transaction that was running when it started has ended, so one
 * long-open transaction (an idle session that said BEGIN) keeps `CREATE_REPLICATION_SLOT` — and a
 * Debezium task that creates its slot — waiting for as long as it stays open. Finds walsenders
 * waiting on a lock (`slot` in their command when given) and who holds it (`pg_blocking_pids`).
 */
export async function slotCreationBlockers(pool: Pool, slot?: string): Promise<SlotCreationBlocker[]> {
  const { rows } = await pool.query<{
    waiting_pid: number;
    pid: number;
    usename: string | null;
    application_name: string | null;
    client_addr: string | null;
    state: string | null;
    xact_start: Date | null;
    query: string | null;
  }>(
    `SELECT w.pid AS waiting_pid, b.pid, b.usename, b.application_name, host(b.client_addr) AS client_addr,
            b.state, b.xact_start, left(b.query, 200) AS query
       FROM pg_stat_activity w
       CROSS JOIN LATERAL unnest(pg_blocking_pids(w.pid)) AS blocking(pid)
       JOIN pg_stat_activity b ON b.pid = blocking.pid
      WHERE w.backend_type = 'walsender' AND w.wait_event_type = 'Lock'
        AND ($1::text IS NULL OR w.query ILIKE '%' || $1::text || '%')
      ORDER BY b.xact_start NULLS LAST, b.pid`,
    [slot ?? null],
  );
  return rows.map((row) => ({
    waitingPid: row.waiting_pid,
    pid: row.pid,
    user: row.usename,
    application: row.application_name,
    client: row.client_addr,
    state: row.state,
    transactionStart: row.xact_start ? row.xact_start.toISOString() : null,
    query: row.query,
  }));
}

/** One line per blocker, for an operator: who to ask to commit, or which pid to terminate. */
export function describeSlotBlockers(slot: string, blockers: readonly SlotCreationBlocker[]): string {
  const who = blockers.map(
    (b) =>
      `backend pid ${b.pid} (user ${b.user ?? '?'}${b.application ? `, application ${b.application}` : ''}${b.client ? `, from ${b.client}` : ''}, ${b.state ?? 'state unknown'}${b.transactionStart ? `, transaction open since ${b.transactionStart}` : ''}${b.query ? `, last statement: ${JSON.stringify(b.query)}` : ''})`,
  );
  return `creating replication slot ${slot} waits for an open transaction to end: ${who.join('; ')}. Commit or roll it back, or end it with SELECT pg_terminate_backend(${blockers[0]?.pid ?? 'pid'}); the slot is created as soon as it ends`;
}
