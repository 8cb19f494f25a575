import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { writeCommandKey, type SnapshotSweep } from '@pg2ddb/contracts';
import { scanEntityItems } from '@pg2ddb/dynamo';
import { sendInChunks, type IncomingBatch } from '@pg2ddb/kafka';
import type { BoundLogger } from '@pg2ddb/service';
import { sweepDeletes } from '@pg2ddb/sync';
import type { Producer } from 'kafkajs';

const HEARTBEAT_EVERY_MS = 3000;

/**
 * Carries out the sweeps of completed snapshots (see SnapshotSweep; SweepBatchHandler runs it in a
 * consumer group of its own): finds the entity's items still
 * below the snapshot's version and sends a delete command for each to `<prefix>.writes`, keyed like
 * any command of that item. So the delete lands in the item's own partition after every command
 * already sent for it — the completed snapshot's put included — and is applied there by the
 * partition's owner under the version guard, tombstone and all. Resolves once the deletes are
 * acknowledged, so the sweep's offset is committed only then (nothing lost on a crash: a replayed
 * sweep finds what is left and its deletes are stale).
 */
export class SnapshotSweeper {
  constructor(
    private readonly dynamo: DynamoDBClient,
    private readonly producer: Producer,
    private readonly writesTopic: string,
  ) {}

  /** Sweeps each completed snapshot; `log` is the batch's logger (its lines carry the batch's coordinates). */
  async sweep(sweeps: readonly SnapshotSweep[], batch: Pick<IncomingBatch, 'fence' | 'heartbeat'>, log: BoundLogger): Promise<number> {
    let total = 0;
    // Heartbeats on a timer, not per page: most pages of a sweep find nothing (the filter drops
    // every item the snapshot wrote) and reach no callback, and one emulator page can take longer
    // than the session timeout; without them the group expels this member and the sweep restarts.
    const keepAlive = setInterval(() => batch.heartbeat().catch(() => undefined), HEARTBEAT_EVERY_MS);
    try {
      total = await this.sweepAll(sweeps, batch, log);
    } finally {
      clearInterval(keepAlive);
    }
    return total;
  }

  private async sweepAll(sweeps: readonly SnapshotSweep[], batch: Pick<IncomingBatch, 'fence' | 'heartbeat'>, log: BoundLogger): Promise<number> {
    let total = 0;
    for (const sweep of sweeps) {
      let found = 0;
      // One sequential Scan: a sweep runs beside the writes (its own consumer group) and should take
      // little of the table's read capacity — on the emulator every page of every segment sorts and
      // walks the whole table, so a segmented scan of 100,000 items starved the writes for minutes.
      await scanEntityItems(this.dynamo, { table: sweep.table, entityType: sweep.entityType, versionBelow: sweep.version, sequential: true }, async (items) => {
        await batch.fence();
        const deletes = sweepDeletes(sweep, items);
        await sendInChunks(this.producer, [{ topic: this.writesTopic, messages: deletes.map((command) => ({ key: writeCommandKey(command), value: JSON.stringify(command) })) }]);
        found += deletes.length;
      });
      log.log(`snapshot of ${sweep.source.schema}.${sweep.source.table} completed at ${sweep.version}: ${found} item(s) of ${sweep.entity} left by an earlier snapshot, sent for deletion`);
      total += found;
    }
    return total;
  }
}
