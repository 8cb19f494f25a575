/** One source partition's offset, as Kafka Connect's offsets API (KIP-875) reads and writes it. */
export interface SourceOffset {
  partition: Record<string, unknown>;
  offset: Record<string, unknown> | null;
}

/** Debezium `snapshot.mode` values that take an initial snapshot when the connector has no offset. */
const INITIAL_SNAPSHOT_MODES = new Set(['initial', 'initial_only', 'always', 'when_needed']);

/**
 * The offset a new Debezium PostgreSQL connector is given before its first start: "an initial
 * snapshot is in progress", in the shape Debezium 3.2 itself commits while it reads one.
 *
 * Why: Debezium sends its "initial snapshot STARTED" notification (notification channel `sink`) as
 * a record that carries the connector's previous offset — for a new connector an empty one
 * (`{ts_usec: 0}`). When Connect commits that offset before any snapshot row is acknowledged and
 * the worker then dies, the restarted task reads an offset without `snapshot` and logs "A previous
 * offset indicating a completed snapshot has been found": the snapshot is skipped, and every row it
 * had not yet delivered — with the `last_in_data_collection` marker that makes the writer sweep —
 * never arrives (the chaos suite's round 19 of 2026-12-04). With this offset in place the
 * notification carries "in progress", and a restart takes the snapshot again, as it does after any
 * interrupted snapshot.
 *
 * Returns undefined when the connector's snapshot mode takes no initial snapshot (then an
 * "in progress" offset would force one).
 */
export function initialSnapshotSeed(config: Record<string, string>): SourceOffset | undefined {
  const mode = (config['snapshot.mode'] ?? 'initial').toLowerCase();
  const prefix = config['topic.prefix'];
  if (!INITIAL_SNAPSHOT_MODES.has(mode) || !prefix) return undefined;
  return {
    partition: { server: prefix },
    offset: { snapshot: 'INITIAL', snapshot_completed: false, last_snapshot_record: false, ts_usec: 0 },
  };
}

/** True when `offsets` holds a committed offset for `partition` (a connector that has run before). */
export function hasOffsetFor(offsets: readonly SourceOffset[], partition: Record<string, unknown>): boolean {
  const key = JSON.stringify(partition);
  return offsets.some((entry) => entry.offset !== null && JSON.stringify(entry.partition) === key);
}
