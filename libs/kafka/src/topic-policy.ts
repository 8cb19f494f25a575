import type { ITopicConfig } from 'kafkajs';

/**
 * How pg2ddb's topics are created: set explicitly, never left to broker defaults (a single
 * replica, 1 MB messages and a 7-day DLQ would each lose or stall data somewhere).
 */
export interface TopicPolicy {
  replicationFactor: number;
  /** With acks=all, writes fail instead of landing on fewer replicas than this. */
  minInsyncReplicas: number;
  /** Retention of change topics and `<prefix>.writes`, ms. */
  retentionMs: number;
  /** Retention of `<prefix>.dlq`, ms; -1 keeps letters until an operator deals with them. */
  dlqRetentionMs: number;
  /**
   * The largest Debezium event that travels: the connector's producer `max.request.size` and the
   * change topics' `max.message.bytes`. A larger row still fails the connector task.
   */
  maxEventBytes: number;
}

/** `<prefix>.writes`: commands carry at most a 400 KB item, but JSON escaping can triple its bytes. */
export const WRITES_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
/** `<prefix>.dlq`: a letter carries at most 768 KiB of its original plus coordinates and reason. */
export const DLQ_MAX_MESSAGE_BYTES = 1024 * 1024;

export const DEFAULT_TOPIC_POLICY: TopicPolicy = {
  replicationFactor: 1,
  minInsyncReplicas: 1,
  retentionMs: 7 * 24 * 3600 * 1000,
  dlqRetentionMs: -1,
  maxEventBytes: 16 * 1024 * 1024,
};

export type TopicKind = 'change' | 'writes' | 'dlq';

/** What `ensureTopics` creates a topic with. */
export interface TopicSpec {
  numPartitions: number;
  replicationFactor?: number;
  configEntries?: ITopicConfig['configEntries'];
}

/** The topic-level settings of each kind of topic under a policy (the same ones the connector template gives Debezium). */
export function topicConfigEntries(kind: TopicKind, policy: TopicPolicy): Array<{ name: string; value: string }> {
  const maxMessageBytes = kind === 'change' ? policy.maxEventBytes : kind === 'writes' ? WRITES_MAX_MESSAGE_BYTES : DLQ_MAX_MESSAGE_BYTES;
  return [
    { name: 'min.insync.replicas', value: String(policy.minInsyncReplicas) },
    { name: 'retention.ms', value: String(kind === 'dlq' ? policy.dlqRetentionMs : policy.retentionMs) },
    { name: 'max.message.bytes', value: String(maxMessageBytes) },
    { name: 'cleanup.policy', value: 'delete' },
  ];
}

/** A topic spec of one kind under a policy. */
export function topicSpec(kind: TopicKind, policy: TopicPolicy, numPartitions = 1): TopicSpec {
  return { numPartitions, replicationFactor: policy.replicationFactor, configEntries: topicConfigEntries(kind, policy) };
}

/**
 * The policy from validated environment values (`topicsEnv` of @pg2ddb/config); throws when
 * `min.insync.replicas` exceeds the replication factor (every acks=all write would fail).
 */
export function topicPolicy(values: {
  PG2DDB_TOPIC_REPLICATION_FACTOR: number;
  PG2DDB_TOPIC_MIN_INSYNC_REPLICAS: number;
  PG2DDB_TOPIC_RETENTION_MS: number;
  PG2DDB_DLQ_RETENTION_MS: number;
  PG2DDB_MAX_EVENT_BYTES: number;
}): TopicPolicy {
  if (values.PG2DDB_TOPIC_MIN_INSYNC_REPLICAS > values.PG2DDB_TOPIC_REPLICATION_FACTOR) {
    throw new Error(
      `PG2DDB_TOPIC_MIN_INSYNC_REPLICAS=${values.PG2DDB_TOPIC_MIN_INSYNC_REPLICAS} exceeds PG2DDB_TOPIC_REPLICATION_FACTOR=${values.PG2DDB_TOPIC_REPLICATION_FACTOR}: every acknowledged write would fail`,
    );
  }
  return {
    replicationFactor: values.PG2DDB_TOPIC_REPLICATION_FACTOR,
    minInsyncReplicas: values.PG2DDB_TOPIC_MIN_INSYNC_REPLICAS,
    retentionMs: values.PG2DDB_TOPIC_RETENTION_MS,
    dlqRetentionMs: values.PG2DDB_DLQ_RETENTION_MS,
    maxEventBytes: values.PG2DDB_MAX_EVENT_BYTES,
  };
}
