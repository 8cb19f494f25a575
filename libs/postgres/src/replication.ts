import type { Pool } from 'pg';

/**
 * Drops a replication slot once nothing uses it any more (a deleted connector releases its slot
 * a moment later). A slot left behind would keep WAL on the server forever.
 */
export async function dropReplicationSlot(pool: Pool, slot: string, timeoutMs = 20000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<{ active_pid: number | null }>('SELECT active_pid FROM pg_replication_slots WHERE slot_name = $1', [slot]);
    if (rows.length === 0) return false;
    const activePid = rows[0]?.active_pid;
    if (activePid === null || activePid === undefined) {
      await pool.query('SELECT pg_drop_replication_slot($1)', [slot]);
      return true;
    }
    if (Date.now() > deadline) {
      await pool.query('SELECT pg_terminate_backend($1)', [activePid]);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Drops a publication if it exists. */
export async function dropPublication(pool: Pool, publication: string): Promise<void> {
  await pool.query(`DROP PUBLICATION IF EXISTS "${publication.replace(/"/g, '""')}"`);
}

/**
 * Moves an inactive replication slot forward to `lsn` (a WAL position as a number): its consumer
 * never receives the changes before it. Used when the way back hands over to the forward path,
 * so the PostgreSQL writer's own writes are not sent back to DynamoDB (no echo). Waits up to
 * `timeoutMs` for the slot's last consumer to let go of it.
 */
export async function advanceSlot(pool: Pool, slot: string, lsn: bigint, timeoutMs = 30000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<{ active: boolean }>(`SELECT active FROM pg_replication_slots WHERE slot_name = $1`, [slot]);
    if (rows.length === 0) throw new Error(`replication slot "${slot}" does not exist`);
    if (!rows[0]!.active) break;
    if (Date.now() > deadline) throw new Error(`replication slot "${slot}" is still in use after ${timeoutMs} ms; stop its connector first`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await pool.query(`SELECT pg_replication_slot_advance($1, ('0/0'::pg_lsn + $2::numeric))`, [slot, lsn.toString()]);
}
