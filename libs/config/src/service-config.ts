import { parsers, type EnvVar } from './env-schema';

const { int, list, oneOf, string, url } = parsers;

/** Kafka connection and topic prefix, shared by every service and the cli. */
export const kafkaEnv = {
  PG2DDB_KAFKA_BROKERS: { description: 'Kafka bootstrap servers, comma-separated host:port', parse: list } as EnvVar<string[]>,
  PG2DDB_TOPIC_PREFIX: { description: "Debezium topic.prefix, also the prefix of pg2ddb's own topics", default: 'pg2ddb', parse: string } as EnvVar<string>,
  PG2DDB_KAFKA_CLIENT_ID: { description: 'Kafka client id', default: 'pg2ddb', parse: string } as EnvVar<string>,
  // Encryption and authentication (docs/security.md); checked together by kafkaSecurity of @pg2ddb/kafka.
  PG2DDB_KAFKA_SSL: { description: 'connect to the brokers over TLS (SSL or SASL_SSL listeners)', default: false, parse: parsers.bool } as EnvVar<boolean>,
  PG2DDB_KAFKA_SSL_CA_FILE: { description: "PEM file of the CA that signed the brokers' certificates (default: the system's CAs)", default: undefined, parse: string } as EnvVar<
    string | undefined
  >,
  PG2DDB_KAFKA_SASL_MECHANISM: {
    description: 'SASL mechanism: none, scram-sha-512, scram-sha-256 or plain (plain only over TLS)',
    default: 'none',
    parse: oneOf('none', 'scram-sha-512', 'scram-sha-256', 'plain'),
  } as EnvVar<'none' | 'scram-sha-512' | 'scram-sha-256' | 'plain'>,
  PG2DDB_KAFKA_SASL_USERNAME: { description: 'SASL user name', default: undefined, parse: string } as EnvVar<string | undefined>,
  PG2DDB_KAFKA_SASL_PASSWORD: { description: 'SASL password', secret: true, default: undefined, parse: string } as EnvVar<string | undefined>,
};

/** Topics pg2ddb creates itself. */
export const topicsEnv = {
  PG2DDB_WRITES_PARTITIONS: {
    description: 'partitions of <prefix>.writes when pg2ddb creates it: the most writer replicas that can share the work',
    default: 6,
    parse: int(1, 1000),
  } as EnvVar<number>,
  PG2DDB_TOPIC_REPLICATION_FACTOR: {
    description: "replication factor of the topics pg2ddb and Debezium create (3 in production; 1 for a single broker)",
    default: 1,
    parse: int(1, 32),
  } as EnvVar<number>,
  PG2DDB_TOPIC_MIN_INSYNC_REPLICAS: { description: 'min.insync.replicas of those topics (2 with 3 replicas)', default: 1, parse: int(1, 32) } as EnvVar<number>,
  PG2DDB_TOPIC_RETENTION_MS: {
    description: 'retention.ms of the change topics and <prefix>.writes (default 7 days)',
    default: 7 * 24 * 3600 * 1000,
    parse: int(-1, Number.MAX_SAFE_INTEGER),
  } as EnvVar<number>,
  PG2DDB_DLQ_RETENTION_MS: {
    description: 'retention.ms of <prefix>.dlq; -1 (default) keeps dead letters until an operator deals with them',
    default: -1,
    parse: int(-1, Number.MAX_SAFE_INTEGER),
  } as EnvVar<number>,
  PG2DDB_MAX_EVENT_BYTES: {
    description: "largest Debezium event carried: the connector producer's max.request.size, the change topics' max.message.bytes and the transformer's fetch size (default 16 MiB)",
    default: 16 * 1024 * 1024,
    parse: int(1024 * 1024, 256 * 1024 * 1024),
  } as EnvVar<number>,
};

/** The batch consumers (transformer, writer). */
export const consumerEnv = {
  PG2DDB_STUCK_BATCH_ATTEMPTS: {
    description: 'failed attempts in a row of one batch after which /health/ready reports the partition stuck (batch-progress)',
    default: 10,
    parse: int(1, 1_000_000),
  } as EnvVar<number>,
  PG2DDB_STALL_TIMEOUT_MS: {
    description: 'how long the consume loop may show no activity (fetch, heartbeat, batch, retry) before /health/live fails',
    default: 300_000,
    parse: int(1000, 86_400_000),
  } as EnvVar<number>,
  PG2DDB_FETCH_MIN_BYTES: {
    description: 'a fetch answers once this many bytes are waiting (or after PG2DDB_FETCH_MAX_WAIT_MS): above 1, batches grow under load (less CPU per change) at the cost of up to the wait when quiet',
    default: 1,
    parse: int(1, 64 * 1024 * 1024),
  } as EnvVar<number>,
  PG2DDB_FETCH_MAX_WAIT_MS: {
    description: 'longest a fetch waits for PG2DDB_FETCH_MIN_BYTES: the most a batch can add to a change\'s latency',
    default: 100,
    parse: int(0, 30_000),
  } as EnvVar<number>,
};

/** DynamoDB endpoint (empty for AWS) and region; credentials come from the default AWS chain. */
export const dynamoEnv = {
  PG2DDB_DYNAMO_ENDPOINT: { description: 'DynamoDB endpoint URL (set for the local emulator or another DynamoDB-compatible endpoint; unset for AWS)', default: undefined, parse: url } as EnvVar<string | undefined>,
  AWS_REGION: { description: 'AWS region of the DynamoDB table', default: 'us-east-1', parse: string } as EnvVar<string>,
};

/** PostgreSQL connection (used by the reconciler and the cli). */
export const postgresEnv = {
  PG2DDB_PG_HOST: { description: 'PostgreSQL host', default: '127.0.0.1', parse: string } as EnvVar<string>,
  PG2DDB_PG_PORT: { description: 'PostgreSQL port', default: 5432, parse: int(1, 65535) } as EnvVar<number>,
  PG2DDB_PG_USER: { description: 'PostgreSQL user (needs REPLICATION for the connector)', parse: string } as EnvVar<string>,
  PG2DDB_PG_PASSWORD: { description: 'PostgreSQL password', secret: true, default: '', parse: string } as EnvVar<string>,
  PG2DDB_PG_DATABASE: { description: 'PostgreSQL database', parse: string } as EnvVar<string>,
  PG2DDB_PG_SSLMODE: {
    description: 'TLS to PostgreSQL as libpq means it: disable, require, verify-ca or verify-full (verify-full in production)',
    default: 'disable',
    parse: oneOf('disable', 'require', 'verify-ca', 'verify-full'),
  } as EnvVar<'disable' | 'require' | 'verify-ca' | 'verify-full'>,
  PG2DDB_PG_SSL_ROOT_CERT: { description: "PEM file of the CA that signed PostgreSQL's certificate (needed by verify-ca and verify-full)", default: undefined, parse: string } as EnvVar<
    string | undefined
  >,
};

/** What every service process needs: where its mapping is, its HTTP port and log format. */
export const serviceEnv = {
  PG2DDB_MAPPING_FILE: { description: 'path of the mapping file (YAML or JSON)', parse: string } as EnvVar<string>,
  PG2DDB_HTTP_PORT: { description: 'port of /health/live, /health/ready and /metrics', default: 0, parse: int(0, 65535) } as EnvVar<number>,
  PG2DDB_HTTP_HOST: {
    description: 'address the HTTP side binds to (0.0.0.0: every interface, as a pod needs; 127.0.0.1: this machine only)',
    default: '0.0.0.0',
    parse: string,
  } as EnvVar<string>,
  PG2DDB_REDACT_VALUES: {
    description: 'redact row values in dead letters, drift events and logs (keys, column and attribute names stay; dlq replay re-reads originals)',
    default: false,
    parse: parsers.bool,
  } as EnvVar<boolean>,
  PG2DDB_LOG_FORMAT: { description: 'json (production) or pretty (local)', default: 'json', parse: oneOf('json', 'pretty') } as EnvVar<'json' | 'pretty'>,
  PG2DDB_LOG_LEVEL: { description: 'error, warn, log, debug or verbose', default: 'log', parse: oneOf('error', 'warn', 'log', 'debug', 'verbose') } as EnvVar<'error' | 'warn' | 'log' | 'debug' | 'verbose'>,
};

/** The admin actions' own port, for the services that have admin actions (reconciler, status). */
export const adminPortEnv = {
  PG2DDB_ADMIN_PORT: {
    description:
      'own port of the admin actions (reconciler: POST /reconcile; status: the page and its actions); then PG2DDB_HTTP_PORT serves only /health/* and /metrics. Unset: one port for both',
    default: undefined,
    parse: int(1, 65535),
  } as EnvVar<number | undefined>,
  PG2DDB_ADMIN_HOST: { description: 'address the admin port binds to (default: PG2DDB_HTTP_HOST)', default: undefined, parse: string } as EnvVar<string | undefined>,
};

/** The Kafka Connect REST endpoint (cli only). */
export const connectEnv = {
  PG2DDB_CONNECT_URL: { description: 'Kafka Connect REST URL (https with a private CA: NODE_EXTRA_CA_CERTS)', default: 'http://127.0.0.1:8083', parse: url } as EnvVar<string>,
  PG2DDB_CONNECT_USERNAME: { description: 'basic-auth user of the Connect REST API (unset: no auth)', default: undefined, parse: string } as EnvVar<string | undefined>,
  PG2DDB_CONNECT_PASSWORD: { description: 'basic-auth password of the Connect REST API', secret: true, default: undefined, parse: string } as EnvVar<string | undefined>,
};

/**
 * The source's WAL history: bump it (0 → 1 → …) when the source moves to a new cluster whose LSNs
 * restart lower (docs/runbook.md, "Moving the source to a new cluster"). Every service that makes
 * source versions (transformer, reconciler repair) must use the same value.
 */
export const sourceEnv = {
  PG2DDB_SOURCE_EPOCH: {
    description: 'source epoch (0-65535) carried in every source version; bump it when the source moves to a new cluster',
    default: 0,
    parse: int(0, 0xffff),
  } as EnvVar<number>,
};
