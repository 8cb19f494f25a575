import { slotConfirmedFlushLsn } from '@pg2ddb/postgres';
import type { Admin, Kafka } from 'kafkajs';
import type { Pool } from 'pg';

/** What "the pipeline has caught up" means for one deployment. */
export interface PipelineProgress {
  kafka: Kafka;
  /** The connector's replication slot. */
  slot: string;
  /** Consumer groups in pipeline order (transformer, then writer) with the topics they read. */
  groups: ReadonlyArray<{ groupId: string; topics: string[] }>;
}

const POLL_MS = 200;

/**
 * Waits until every change committed up to `lsn` has gone through the whole pipeline:
 *   1. the connector's slot has confirmed past `lsn` (Kafka Connect confirms only what Kafka has
 *      acknowledged), so those events sit below the change topics' current end offsets;
 *   2. for each consumer group in pipeline order, its committed offsets reach the end offsets
 *      its topics had once the previous stage was done. A stage commits only after it produced
 *      its output, so the transformer reaching the change topics' ends means the commands are in
 *      the writes topic below the ends the writer is then measured against.
 * Measuring against fixed end offsets (not "lag is zero") lets this finish under a steady write
 * load. Returns false when `timeoutMs` passes first.
 */
export async function waitForPipeline(pg: Pool, progress: PipelineProgress, lsn: bigint, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const expired = () => Date.now() > deadline;
  for (let round = 0; ; round++) {
    const confirmed = await slotConfirmedFlushLsn(pg, progress.slot);
    if (confirmed === undefined) throw new Error(`replication slot "${progress.slot}" does not exist: is the connector running?`);
    if (confirmed >= lsn) break;
    if (expired()) return false;
    // On a quiet database the slot advances only when something is decoded: a transactional
    // logical message is decoded (and confirmed) without touching any table.
    if (round % 10 === 5) await pg.query(`SELECT pg_logical_emit_message(true, 'pg2ddb.reconcile', 'caught-up probe')`);
    await sleep(POLL_MS);
  }
  const admin = progress.kafka.admin();
  await admin.connect();
  try {
    for (const group of progress.groups) {
      const targets = await endOffsets(admin, group.topics);
      while (!(await reached(admin, group.groupId, targets))) {
        if (expired()) return false;
        await sleep(POLL_MS);
      }
    }
    return true;
  } finally {
    await admin.disconnect();
  }
}

/** topic → partition → end offset (high watermark) of the topics that exist. */
async function endOffsets(admin: Admin, topics: string[]): Promise<Map<string, Map<number, bigint>>> {
  const existing = new Set(await admin.listTopics());
  const result = new Map<string, Map<number, bigint>>();
  for (const topic of topics.filter((candidate) => existing.has(candidate))) {
    const offsets = await admin.fetchTopicOffsets(topic);
    result.set(topic, new Map(offsets.map((offset) => [offset.partition, BigInt(offset.high)])));
  }
  return result;
}

async function reached(admin: Admin, groupId: string, targets: Map<string, Map<number, bigint>>): Promise<boolean> {
  if (targets.size === 0) return true;
  const committed = await admin.fetchOffsets({ groupId, topics: [...targets.keys()] });
  for (const { topic, partitions } of committed) {
    const ends = targets.get(topic)!;
    const lows = await admin.fetchTopicOffsets(topic);
    for (const [partition, end] of ends) {
      const offset = BigInt(partitions.find((candidate) => candidate.partition === partition)?.offset ?? '-1');
      // Nothing committed yet is fine only when the partition holds nothing to consume.
      const position = offset < 0n ? BigInt(lows.find((low) => low.partition === partition)?.low ?? '0') : offset;
      if (position < end) return false;
    }
  }
  return true;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
