import type { Pool } from 'pg';

/** One replication slot as the WAL-safety metrics report it. */
export interface ReplicationSlotState {
  slot: string;
  /** `logical` or `physical`. */
  type: string;
  /** The database of a logical slot (null for a physical one). */
  database: string | null;
  /** A walsender is reading the slot right now. */
  active: boolean;
  /** WAL the server keeps for the slot: current WAL position − restart_lsn (null when invalidated). */
  retainedWalBytes: number | null;
  /** Current WAL position − confirmed_flush_lsn: what the consumer has not confirmed yet (logical slots). */
  confirmedFlushLagBytes: number | null;
  /** reserved / extended / unreserved / lost. */
  walStatus: string | null;
  /** Bytes left before the slot is invalidated (null when max_slot_wal_keep_size is unlimited). */
  safeWalSizeBytes: number | null;
}

/**
 * Every replication slot of the server with the WAL it retains, from `pg_replication_slots`
 * (PostgreSQL 13 or later). On a standby, where `pg_current_wal_lsn()` is not available, the
 * replay position stands in for it.
 */
export async function readReplicationSlots(pool: Pool): Promise<ReplicationSlotState[]> {
  const { rows } = await pool.query<{
    slot_name: string;
    slot_type: string;
    database: string | null;
    active: boolean;
    retained: string | null;
    flush_lag: string | null;
    wal_status: string | null;
    safe_wal_size: string | null;
  }>(
    `WITH here AS (SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END AS lsn)
     SELECT s.slot_name, s.slot_type, s.database, s.active,
            pg_wal_lsn_diff(here.lsn, s.restart_lsn)::bigint::text AS retained,
            pg_wal_lsn_diff(here.lsn, s.confirmed_flush_lsn)::bigint::text AS flush_lag,
            s.wal_status, s.safe_wal_size::text AS safe_wal_size
       FROM pg_replication_slots s, here
      ORDER BY s.slot_name`,
  );
  const bytes = (value: string | null) => (value === null ? null : Math.max(0, Number(value)));
  return rows.map((row) => ({
    slot: row.slot_name,
    type: row.slot_type,
    database: row.database,
    active: row.active,
    retainedWalBytes: bytes(row.retained),
    confirmedFlushLagBytes: bytes(row.flush_lag),
    walStatus: row.wal_status,
    safeWalSizeBytes: row.safe_wal_size === null ? null : Number(row.safe_wal_size),
  }));
}
