import { Logger } from '@nestjs/common';
import { errorMessage } from '@pg2ddb/errors';
import { ConnectClient, type ConnectAuth } from '@pg2ddb/kafka';
import { readReplicationSlots, type ReplicationSlotState } from '@pg2ddb/postgres';
import type { Pool } from 'pg';
import { Gauge, type Registry } from 'prom-client';

/**
 * The source side's health, read when Prometheus scrapes: every replication slot's retained WAL,
 * active flag and unconfirmed WAL (pg_replication_slots), and, when a Kafka Connect URL is
 * configured, the connector's and each task's state. infra/alerts/pg2ddb.rules.yaml alerts on
 * them. A source that cannot be read leaves its series out of that scrape (and logs why).
 */
export class SourceHealthMetrics {
  private readonly logger = new Logger(SourceHealthMetrics.name);
  private reading?: Promise<ReplicationSlotState[] | undefined>;

  constructor(registry: Registry, pool: Pool, connect?: { url: string; connector: string; auth?: ConnectAuth }) {
    // A scrape collects the gauges in registration order: the first one reads pg_replication_slots,
    // the others report that same reading, so one scrape is one consistent query.
    let first = true;
    const slotGauge = (name: string, help: string, value: (slot: ReplicationSlotState) => number | null) => {
      const refresh = first;
      first = false;
      const gauge: Gauge<'slot' | 'slot_type'> = new Gauge({
        name,
        help,
        labelNames: ['slot', 'slot_type'],
        registers: [registry],
        collect: async () => {
          gauge.reset();
          for (const slot of (await this.slots(pool, refresh)) ?? []) {
            const v = value(slot);
            if (v !== null) gauge.set({ slot: slot.slot, slot_type: slot.type }, v);
          }
        },
      });
    };
    slotGauge('pg2ddb_replication_slot_retained_wal_bytes', 'WAL the source keeps for the slot (current WAL position - restart_lsn), bytes', (s) => s.retainedWalBytes);
    slotGauge('pg2ddb_replication_slot_active', '1 while a walsender reads the slot (the connector is streaming), else 0', (s) => (s.active ? 1 : 0));
    slotGauge('pg2ddb_replication_slot_confirmed_flush_lag_bytes', 'WAL the consumer has not confirmed (current WAL position - confirmed_flush_lsn), bytes', (s) => s.confirmedFlushLagBytes);
    slotGauge('pg2ddb_replication_slot_safe_wal_size_bytes', 'WAL that may still be written before the slot is invalidated (only with max_slot_wal_keep_size set)', (s) => s.safeWalSizeBytes);

    if (connect) {
      const client = new ConnectClient(connect.url, connect.auth);
      const state: Gauge<'connector' | 'task' | 'state'> = new Gauge({
        name: 'pg2ddb_connector_state',
        help: 'Always 1, for the current state of the connector (task="connector") and of each task; state is RUNNING, PAUSED, FAILED, UNASSIGNED, RESTARTING, STOPPED, or MISSING (no such connector) / UNREACHABLE (Kafka Connect did not answer)',
        labelNames: ['connector', 'task', 'state'],
        registers: [registry],
        collect: async () => {
          state.reset();
          try {
            const status = await client.status(connect.connector);
            if (!status) {
              state.set({ connector: connect.connector, task: 'connector', state: 'MISSING' }, 1);
              return;
            }
            state.set({ connector: connect.connector, task: 'connector', state: status.connector.state }, 1);
            for (const task of status.tasks) state.set({ connector: connect.connector, task: String(task.id), state: task.state }, 1);
          } catch (error) {
            this.logger.warn(`connector state unknown: ${errorMessage(error)}`);
            state.set({ connector: connect.connector, task: 'connector', state: 'UNREACHABLE' }, 1);
          }
        },
      });
    }
  }

  /** A new reading of the slots (`refresh`), or the latest one. */
  private slots(pool: Pool, refresh: boolean): Promise<ReplicationSlotState[] | undefined> {
    if (refresh || !this.reading) {
      this.reading = readReplicationSlots(pool).catch((error: unknown) => {
        this.logger.warn(`replication slots unreadable: ${errorMessage(error)}`);
        return undefined;
      });
    }
    return this.reading;
  }
}
