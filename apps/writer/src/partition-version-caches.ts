import type { StoredVersions } from '@pg2ddb/sync';

/** Where a batch comes from and under which ownership term (see `IncomingBatch.ownership`). */
export interface PartitionTerm {
  topic: string;
  partition: number;
  ownership: number;
}

interface Entry {
  ownership: number;
  versions: Map<string, StoredVersions>;
}

/**
 * The stored versions this writer read or wrote, per partition it owns, so the version guard's
 * read (a strongly consistent BatchGetItem) is skipped for items it already knows.
 *
 * Sound because the writes topic is keyed by item and a partition has one owner: while this member
 * owns the partition, nothing but this member writes its items, so what it read or wrote is what
 * the table holds. The cache is dropped whenever that may no longer be true:
 * - the ownership term changed (a rebalance began, the group was re-joined, the consumer crashed or
 *   stopped, a batch was fenced): another member may have written the items meanwhile;
 * - `drop` — the caller drops a partition's cache when a batch failed or any command came back
 *   stale or failed (DynamoDB's own condition refused a write the cache had planned, or the outcome
 *   of a write is unknown).
 * Bounded: past `maxItems` versions in a partition, the oldest are forgotten (read again when next needed).
 */
export class PartitionVersionCaches {
  private readonly byPartition = new Map<string, Entry>();

  constructor(private readonly maxItems: number) {}

  /** The partition's cache for this term: the same map for batches of one term, a new empty one after any change of term. */
  forBatch(batch: PartitionTerm): Map<string, StoredVersions> {
    const id = `${batch.topic}\u0000${batch.partition}`;
    const known = this.byPartition.get(id);
    if (known !== undefined && known.ownership === batch.ownership) {
      this.trim(known.versions);
      return known.versions;
    }
    const entry: Entry = { ownership: batch.ownership, versions: new Map() };
    this.byPartition.set(id, entry);
    return entry.versions;
  }

  /** Forgets everything known about the partition. */
  drop(batch: Pick<PartitionTerm, 'topic' | 'partition'>): void {
    this.byPartition.delete(`${batch.topic}\u0000${batch.partition}`);
  }

  /** Versions held, over all partitions (a gauge). */
  size(): number {
    let total = 0;
    for (const entry of this.byPartition.values()) total += entry.versions.size;
    return total;
  }

  private trim(versions: Map<string, StoredVersions>): void {
    if (versions.size <= this.maxItems) return;
    // Maps iterate in insertion order: the first keys are the ones known longest.
    let excess = versions.size - this.maxItems;
    for (const key of versions.keys()) {
      if (excess-- <= 0) break;
      versions.delete(key);
    }
  }
}
