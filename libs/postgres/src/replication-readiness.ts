import type { Pool } from 'pg';

/** What logical replication needs on the server, as found. */
export interface ReplicationReadiness {
  walLevel: string;
  maxReplicationSlots: number;
  freeReplicationSlots: number;
  /**
   * `max_slot_wal_keep_size` in bytes, or null when unlimited (-1, the default): then a slot that
   * nobody reads keeps WAL until the disk is full; when set, such a slot is invalidated past it.
   */
  maxSlotWalKeepSizeBytes: number | null;
  /** `walStatus`: reserved / extended / unreserved / lost (pg_replication_slots.wal_status). */
  slot?: { plugin: string | null; active: boolean; retainedWalBytes: number | null; walStatus: string | null };
  publication?: { tables: string[]; allTables: boolean };
}

/**
 * Reads wal_level, max_slot_wal_keep_size, replication slot capacity, and the state of one slot and one publication
 * (`schema.table` names of its tables). Absent slot or publication are left undefined: the
 * connector creates them on its first start.
 */
export async function replicationReadiness(pool: Pool, slot: string, publication: string): Promise<ReplicationReadiness> {
  const settings = await pool.query<{ wal_level: string; max_slots: string; used: string; keep_mb: string }>(
    `SELECT current_setting('wal_level') AS wal_level, current_setting('max_replication_slots') AS max_slots,
            (SELECT count(*) FROM pg_replication_slots)::text AS used,
            (SELECT setting FROM pg_settings WHERE name = 'max_slot_wal_keep_size') AS keep_mb`,
  );
  const slots = await pool.query<{ plugin: string | null; active: boolean; retained: string | null; wal_status: string | null }>(
    `SELECT plugin, active, pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint::text AS retained, wal_status
       FROM pg_replication_slots WHERE slot_name = $1`,
    [slot],
  );
  const publications = await pool.query<{ puballtables: boolean }>('SELECT puballtables FROM pg_publication WHERE pubname = $1', [publication]);
  const tables = await pool.query<{ name: string }>(
    `SELECT schemaname || '.' || tablename AS name FROM pg_publication_tables WHERE pubname = $1`,
    [publication],
  );
  const row = settings.rows[0]!;
  const slotRow = slots.rows[0];
  const publicationRow = publications.rows[0];
  return {
    walLevel: row.wal_level,
    maxReplicationSlots: Number(row.max_slots),
    freeReplicationSlots: Number(row.max_slots) - Number(row.used),
    // pg_settings gives the value in MB (its unit); -1 is unlimited.
    maxSlotWalKeepSizeBytes: row.keep_mb === null || Number(row.keep_mb) < 0 ? null : Number(row.keep_mb) * 1024 * 1024,
    ...(slotRow
      ? { slot: { plugin: slotRow.plugin, active: slotRow.active, retainedWalBytes: slotRow.retained === null ? null : Number(slotRow.retained), walStatus: slotRow.wal_status } }
      : {}),
    ...(publicationRow ? { publication: { allTables: publicationRow.puballtables, tables: tables.rows.map((t) => t.name) } } : {}),
  };
}
