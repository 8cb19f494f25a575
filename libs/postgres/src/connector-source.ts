import type { Pool } from 'pg';

import { ensureHeartbeatTable } from './heartbeat-table';
import { grantConnectorAccess } from './role-grants';
import { ensureSignalTable } from './signal-table';

/**
 * What the admin role prepares in the source before the connector starts: the signal and
 * heartbeat tables, and, when the connector logs in with a role of its own, the publication over
 * the captured tables and that role's grants (`grantConnectorAccess`). When the connector uses
 * the admin role itself, Debezium creates its filtered publication as before. Idempotent.
 */
export async function prepareConnectorSource(
  pool: Pool,
  options: { adminUser: string; connectorUser: string; publication: string; tables: readonly string[]; signalTable: string; heartbeatTable: string },
): Promise<{ signalAddedToPublication: boolean; heartbeatAddedToPublication: boolean; grantedTo?: string }> {
  const signal = await ensureSignalTable(pool, options.signalTable, options.publication);
  const heartbeat = await ensureHeartbeatTable(pool, options.heartbeatTable, options.publication);
  if (options.connectorUser === options.adminUser) {
    return { signalAddedToPublication: signal.addedToPublication, heartbeatAddedToPublication: heartbeat.addedToPublication };
  }
  await grantConnectorAccess(pool, {
    role: options.connectorUser,
    publication: options.publication,
    tables: options.tables,
    signalTable: options.signalTable,
    heartbeatTable: options.heartbeatTable,
  });
  return { signalAddedToPublication: true, heartbeatAddedToPublication: true, grantedTo: options.connectorUser };
}
