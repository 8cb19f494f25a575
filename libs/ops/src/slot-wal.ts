import type { Pool } from 'pg';

/** One replication slot's hold on the source's WAL at one moment. */
export interface SlotWal {
  slot: string;
  active: boolean;
  /** WAL the server keeps for the slot: current WAL position minus the slot's restart_lsn. */
  retainedBytes: number;
  /** How far the connector's confirmed position is behind the current WAL position. */
  confirmedLagBytes: number;
  /** PostgreSQL's own verdict: reserved, extended, unreserved or lost (13+). */
  walStatus: string | null;
}

/**
 * The slot's retained WAL, active flag and confirmed lag (pg_replication_slots); undefined when the
 * slot does not exist. A stopped connector leaves its slot inactive and the retained WAL growing
 * until the source's disk fills or max_slot_wal_keep_size invalidates the slot.
 */
export async function readSlotWal(pool: Pool, slot: string): Promise<SlotWal | undefined> {
  const { rows } = await pool.query<{ slot_name: string; active: boolean; retained: string | null; confirmed_lag: string | null; wal_status: string | null }>(
    `SELECT slot_name, active,
            pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint::text AS retained,
            pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint::text AS confirmed_lag,
            wal_status
       FROM pg_replication_slots WHERE slot_name = $1`,
    [slot],
  );
  const row = rows[0];
  if (!row) return undefined;
  return { slot: row.slot_name, active: row.active, retainedBytes: Number(row.retained ?? 0), confirmedLagBytes: Number(row.confirmed_lag ?? 0), walStatus: row.wal_status };
}
