import { Pg2ddbError } from '@pg2ddb/errors';
import { DEFAULT_TOPIC_POLICY, topicConfigEntries, type TopicPolicy } from './topic-policy';

/** What varies between deployments of the Debezium connector. */
export interface ConnectorSettings {
  topicPrefix: string;
  database: {
    host: string;
    port: number;
    user: string;
    password: string;
    dbname: string;
    /** pgjdbc's sslmode (default `disable`; `verify-full` with `sslRootCert` in production). */
    sslmode?: 'disable' | 'require' | 'verify-ca' | 'verify-full';
    /** PEM file of the CA, as the Connect worker sees it (Debezium's database.sslrootcert). */
    sslRootCert?: string;
  };
  /** `schema.table` of every mapped table. */
  tables: string[];
  snapshotMode?: string;
  slotName?: string;
  publicationName?: string;
  topicReplicationFactor?: number;
  topicPartitions?: number;
  /**
   * How Debezium creates the change topics (its topic.creation.default.*) and how large an event
   * its producer may send; the same policy the services create their topics with. Default
   * `DEFAULT_TOPIC_POLICY`; `topicReplicationFactor`, when set, overrides its replication factor.
   */
  topicPolicy?: TopicPolicy;
  /**
   * `schema.table` of the Debezium signal table (incremental snapshots); default
   * `defaultSignalTable(topicPrefix, tables)`. It is added to the captured tables (and so to the
   * filtered publication) because the source signal channel reads signals from the WAL.
   */
  signalTable?: string;
  /** Rows per incremental snapshot chunk (Debezium's `incremental.snapshot.chunk.size`, default 1024). */
  snapshotChunkSize?: number;
  /**
   * `schema.table` of the heartbeat table; default `defaultHeartbeatTable(topicPrefix, tables)`.
   * Debezium's `heartbeat.action.query` updates its one row every heartbeat, and the table is
   * captured (so in the filtered publication): the slot then advances even when no mapped table
   * changes while the rest of the database writes WAL. It must exist before the connector starts
   * (`ensureHeartbeatTable` of @pg2ddb/postgres).
   */
  heartbeatTable?: string;
  /**
   * Debezium's `publication.autocreate.mode`: `filtered` (default) lets the connector create and
   * update its publication, which needs it to own the tables; `disabled` when the connector has a
   * least-privilege role of its own and the admin role made the publication (prepareConnectorSource
   * of @pg2ddb/postgres; docs/security.md).
   */
  publicationAutocreate?: 'filtered' | 'disabled';
}

export interface ConnectorConfig {
  name: string;
  config: Record<string, string>;
}

/** Replication slot and publication names allow lowercase letters, digits and '_' (63 at most). */
export function defaultSlotName(topicPrefix: string): string {
  return `pg2ddb_${topicPrefix.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63);
}

/**
 * The signal table of a deployment: `<schema of the first mapped table>.pg2ddb_signal_<prefix>`.
 * One per connector — Debezium requires a signal table per connector instance, and two
 * deployments over the same schema (two prefixes) must not see each other's signals.
 */
export function defaultSignalTable(topicPrefix: string, tables: readonly string[]): string {
  const schema = (tables[0] ?? 'public').split('.')[0] ?? 'public';
  return `${schema}.${`pg2ddb_signal_${topicPrefix.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63)}`;
}

/** The heartbeat table of a deployment: `<schema of the first mapped table>.pg2ddb_heartbeat_<prefix>`. */
export function defaultHeartbeatTable(topicPrefix: string, tables: readonly string[]): string {
  const schema = (tables[0] ?? 'public').split('.')[0] ?? 'public';
  return `${schema}.${`pg2ddb_heartbeat_${topicPrefix.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63)}`;
}

/** Debezium's `heartbeat.action.query` for a heartbeat table: one row, upserted with the time. */
export function heartbeatActionQuery(heartbeatTable: string): string {
  const [schema, table] = heartbeatTable.split('.');
  return `INSERT INTO "${schema}"."${table}" (id, beat_at) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET beat_at = EXCLUDED.beat_at`;
}

/** The topic Debezium sends its notifications to (incremental snapshot progress). */
export function notificationTopic(topicPrefix: string): string {
  return `${topicPrefix}.notifications`;
}

/** The connector's name in Kafka Connect for a deployment prefix. */
export function connectorName(topicPrefix: string): string {
  return `pg2ddb-${topicPrefix}`;
}

/**
 * Fills the `${...}` placeholders of infra/debezium/postgres-connector.json. Every placeholder
 * must be filled and every filled value used, so a typo in the template cannot go unnoticed.
 * Config-provider references in values (`${file:...}`, `${secrets:...}`) pass through untouched.
 */
export function renderConnectorConfig(template: string, settings: ConnectorSettings): ConnectorConfig {
  if (settings.tables.length === 0) throw new Pg2ddbError('CONNECTOR_NO_TABLES', 'the mapping has no source tables to capture');
  const slot = settings.slotName ?? defaultSlotName(settings.topicPrefix);
  const signalTable = settings.signalTable ?? defaultSignalTable(settings.topicPrefix, settings.tables);
  if (!/^[^.]+\.[^.]+$/.test(signalTable)) {
    throw new Pg2ddbError('CONNECTOR_SIGNAL_TABLE_INVALID', `signal table must be "schema.table", got "${signalTable}"`);
  }
  const policy = settings.topicPolicy ?? DEFAULT_TOPIC_POLICY;
  const changeTopicConfig = new Map(topicConfigEntries('change', policy).map(({ name, value }) => [name, value]));
  const heartbeatTable = settings.heartbeatTable ?? defaultHeartbeatTable(settings.topicPrefix, settings.tables);
  if (!/^[a-z_][a-z0-9_$]*\.[a-z_][a-z0-9_$]*$/.test(heartbeatTable)) {
    throw new Pg2ddbError('CONNECTOR_HEARTBEAT_TABLE_INVALID', `heartbeat table must be "schema.table" in lowercase letters, digits and '_', got "${heartbeatTable}"`);
  }
  const chunkSize = settings.snapshotChunkSize ?? 1024;
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) {
    throw new Pg2ddbError('CONNECTOR_CHUNK_SIZE_INVALID', `incremental snapshot chunk size must be a positive whole number, got ${chunkSize}`);
  }
  for (const [label, value] of [
    ['change topic partitions', settings.topicPartitions],
    ['change topic replication factor', settings.topicReplicationFactor],
  ] as const) {
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) {
      throw new Pg2ddbError('CONNECTOR_TOPIC_SETTING_INVALID', `${label} must be a positive whole number, got ${value}`);
    }
  }
  const values: Record<string, string> = {
    'connector.name': connectorName(settings.topicPrefix),
    'database.hostname': settings.database.host,
    'database.port': String(settings.database.port),
    'database.user': settings.database.user,
    'database.password': settings.database.password,
    'database.dbname': settings.database.dbname,
    'database.sslmode': settings.database.sslmode ?? 'disable',
    'topic.prefix': settings.topicPrefix,
    'slot.name': slot,
    'publication.name': settings.publicationName ?? slot,
    'publication.autocreate.mode': settings.publicationAutocreate ?? 'filtered',
    'table.include.list': [...settings.tables, signalTable, heartbeatTable].map(escapeRegex).join(','),
    'heartbeat.action.query': heartbeatActionQuery(heartbeatTable),
    'signal.data.collection': signalTable,
    'incremental.snapshot.chunk.size': String(chunkSize),
    'notification.sink.topic.name': notificationTopic(settings.topicPrefix),
    'snapshot.mode': settings.snapshotMode ?? 'initial',
    'topic.replication.factor': String(settings.topicReplicationFactor ?? policy.replicationFactor),
    'topic.partitions': String(settings.topicPartitions ?? 1),
    'topic.min.insync.replicas': changeTopicConfig.get('min.insync.replicas') ?? '1',
    'topic.retention.ms': changeTopicConfig.get('retention.ms') ?? '-1',
    'topic.max.message.bytes': changeTopicConfig.get('max.message.bytes') ?? '1048588',
    // The producer's own check (and its request) must let the largest event through: a record over
    // max.request.size fails the connector task and stops the whole table's stream.
    'producer.max.request.size': String(policy.maxEventBytes),
  };
  let parsed: { name?: unknown; config?: unknown };
  try {
    parsed = JSON.parse(template);
  } catch (error) {
    throw new Pg2ddbError('CONNECTOR_TEMPLATE_INVALID', `connector template is not JSON: ${(error as Error).message}`);
  }
  const used = new Set<string>();
  const fill = (text: string): string =>
    text.replace(/\$\{([a-z.]+)\}/g, (_match, name: string) => {
      const value = values[name];
      if (value === undefined) throw new Pg2ddbError('CONNECTOR_TEMPLATE_INVALID', `connector template has an unknown placeholder \${${name}}`);
      used.add(name);
      return value;
    });
  if (typeof parsed.name !== 'string' || typeof parsed.config !== 'object' || parsed.config === null) {
    throw new Pg2ddbError('CONNECTOR_TEMPLATE_INVALID', 'connector template must be {"name": string, "config": {...}}');
  }
  const config: Record<string, string> = {};
  for (const [key, raw] of Object.entries(parsed.config as Record<string, unknown>)) {
    if (typeof raw !== 'string') throw new Pg2ddbError('CONNECTOR_TEMPLATE_INVALID', `connector template value of "${key}" must be a string`);
    config[key] = fill(raw);
  }
  // Only when set: an empty path would be read as a file by the verify modes.
  if (settings.database.sslRootCert) config['database.sslrootcert'] = settings.database.sslRootCert;
  const name = fill(parsed.name);
  const unused = Object.keys(values).filter((key) => !used.has(key));
  if (unused.length > 0) throw new Pg2ddbError('CONNECTOR_TEMPLATE_INVALID', `connector template does not use: ${unused.join(', ')}`);
  return { name, config };
}

// table.include.list is a list of regular expressions; a '.' in schema.table must match only itself.
function escapeRegex(table: string): string {
  return table.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * True when a config value is a Kafka Connect config-provider reference (`${env:NAME}`,
 * `${file:/path:key}`, `${secrets:...}`): the worker resolves it, so the secret itself never
 * reaches the connector's config, Connect's config topic or its REST API.
 */
export function isConfigProviderReference(value: string): boolean {
  return /^\$\{[A-Za-z0-9_.-]+:[^{}]*\}$/.test(value);
}

/**
 * Refuses a rendered config whose `database.password` is a clear-text secret (unless the operator
 * allowed it): Connect would store it in its config topic, readable by anyone who reads Kafka.
 */
export function assertNoPlaintextSecret(connector: ConnectorConfig, allowPlaintext = false): void {
  const password = connector.config['database.password'] ?? '';
  if (allowPlaintext || password === '' || isConfigProviderReference(password)) return;
  throw new Pg2ddbError(
    'CONNECTOR_PLAINTEXT_SECRET',
    `connector ${connector.name}: database.password is a clear-text password, which Kafka Connect would store in its config topic; ` +
      'set PG2DDB_CONNECTOR_DB_PASSWORD to a config-provider reference such as ${env:PG2DDB_DEBEZIUM_PASSWORD} or ${file:/path:key} ' +
      '(the worker needs config.providers), or pass --allow-plaintext-secret',
  );
}
