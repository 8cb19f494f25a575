/**
 * Every Kafka topic name pg2ddb reads or writes comes from here, so a prefix change or a new
 * topic is one edit. The prefix is Debezium's `topic.prefix` and is configurable per deployment.
 */
export interface TopicNames {
  /** Write commands from transformer to writer, keyed by DynamoDB table + PK + SK. */
  readonly writes: string;
  /**
   * Completed-snapshot sweeps, forwarded by the writer from `<prefix>.writes` (one partition): a
   * sweep scans an entity's items, so it runs in a consumer of its own, off the write path.
   */
  readonly sweeps: string;
  /** Dead letters from every stage. */
  readonly dlq: string;
  /** Drift events and per-run summaries from the reconciler. */
  readonly drift: string;
  /** Debezium heartbeats (kept separate so they never reach the mapping). */
  readonly heartbeat: string;
}

const PREFIX_PATTERN = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** The topic names for one deployment prefix. Throws on a prefix Kafka would reject. */
export function topicNames(prefix: string): TopicNames {
  assertPrefix(prefix);
  return {
    writes: `${prefix}.writes`,
    sweeps: `${prefix}.sweeps`,
    dlq: `${prefix}.dlq`,
    drift: `${prefix}.drift`,
    heartbeat: `__debezium-heartbeat.${prefix}`,
  };
}

/** Debezium's change topic for one table: `<prefix>.<schema>.<table>`. */
export function changeTopic(prefix: string, schema: string, table: string): string {
  assertPrefix(prefix);
  return `${prefix}.${schema}.${table}`;
}

/**
 * The way back: changes of one DynamoDB table, from the DynamoDB source to the PostgreSQL writer.
 * `ddb` is never a schema pg2ddb maps, so these never look like a Debezium topic of ours.
 */
export function ddbChangeTopic(prefix: string, table: string): string {
  assertPrefix(prefix);
  return `${prefix}.ddb.${table}`;
}


function assertPrefix(prefix: string): void {
  if (!PREFIX_PATTERN.test(prefix) || prefix.length > 200) {
    throw new Error(
      `invalid topic prefix ${JSON.stringify(prefix)}: use letters, digits, '_', '-' and '.' separators`,
    );
  }
}
