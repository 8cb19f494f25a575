import { ConfigError, connectEnv, dynamoEnv, kafkaEnv, postgresEnv, readEnv, topicsEnv } from '@pg2ddb/config';
import { topicPolicy, type ConnectAuth, type ConnectorSettings } from '@pg2ddb/kafka';
import type { CompiledMapping } from '@pg2ddb/mapping';
import { pgSsl, type PgConnection } from '@pg2ddb/postgres';

/** What the connector's database.password holds unless PG2DDB_CONNECTOR_DB_PASSWORD says otherwise. */
export const DEFAULT_CONNECTOR_PASSWORD_REFERENCE = '${env:PG2DDB_DEBEZIUM_PASSWORD}';

/** The cli's validated settings; each command reads only the concerns it needs. */
export const settings = {
  postgres(env: Record<string, string | undefined>): PgConnection {
    const values = readEnv(postgresEnv, env);
    return {
      host: values.PG2DDB_PG_HOST,
      port: values.PG2DDB_PG_PORT,
      user: values.PG2DDB_PG_USER,
      password: values.PG2DDB_PG_PASSWORD,
      database: values.PG2DDB_PG_DATABASE,
      ssl: pgSsl(values.PG2DDB_PG_SSLMODE, values.PG2DDB_PG_SSL_ROOT_CERT),
    };
  },
  dynamo(env: Record<string, string | undefined>) {
    const values = readEnv(dynamoEnv, env);
    return { endpoint: values.PG2DDB_DYNAMO_ENDPOINT, region: values.AWS_REGION };
  },
  kafka(env: Record<string, string | undefined>) {
    return readEnv(kafkaEnv, env);
  },
  topicPrefix(env: Record<string, string | undefined>): string {
    return readEnv({ PG2DDB_TOPIC_PREFIX: kafkaEnv.PG2DDB_TOPIC_PREFIX }, env).PG2DDB_TOPIC_PREFIX;
  },
  connectUrl(env: Record<string, string | undefined>): string {
    return readEnv(connectEnv, env).PG2DDB_CONNECT_URL;
  },
  /** Basic-auth credentials of the Connect REST API, when PG2DDB_CONNECT_USERNAME is set. */
  connectAuth(env: Record<string, string | undefined>): ConnectAuth | undefined {
    const values = readEnv(connectEnv, env);
    if (!values.PG2DDB_CONNECT_USERNAME) return undefined;
    if (!values.PG2DDB_CONNECT_PASSWORD) throw new ConfigError(['PG2DDB_CONNECT_USERNAME is set: PG2DDB_CONNECT_PASSWORD is required too']);
    return { username: values.PG2DDB_CONNECT_USERNAME, password: values.PG2DDB_CONNECT_PASSWORD };
  },
  connector(env: Record<string, string | undefined>, mapping: CompiledMapping): ConnectorSettings {
    const pg = settings.postgres(env);
    const tls = readEnv(postgresEnv, env);
    return {
      topicPrefix: settings.topicPrefix(env),
      // The connector logs in with its own role (PG2DDB_CONNECTOR_DB_USER, default PG2DDB_PG_USER), and
      // its password is a config-provider reference resolved by the Connect worker (default
      // ${env:PG2DDB_DEBEZIUM_PASSWORD}, as the Helm chart and the local stack configure the worker):
      // the secret never sits in the connector's config, Connect's config topic or its REST API.
      database: {
        host: pg.host,
        port: pg.port,
        user: env.PG2DDB_CONNECTOR_DB_USER || pg.user,
        password: env.PG2DDB_CONNECTOR_DB_PASSWORD || DEFAULT_CONNECTOR_PASSWORD_REFERENCE,
        dbname: pg.database,
        sslmode: tls.PG2DDB_PG_SSLMODE,
        ...(tls.PG2DDB_PG_SSL_ROOT_CERT ? { sslRootCert: tls.PG2DDB_PG_SSL_ROOT_CERT } : {}),
      },
      tables: mapping.sourceTables().map(({ schema, table }) => `${schema}.${table}`),
      // A role of its own cannot alter the publication: apply (as the owner) makes it instead.
      publicationAutocreate: env.PG2DDB_CONNECTOR_DB_USER && env.PG2DDB_CONNECTOR_DB_USER !== pg.user ? 'disabled' : 'filtered',
      topicPolicy: topicPolicy(readEnv(topicsEnv, env)),
      ...(env.PG2DDB_SNAPSHOT_MODE ? { snapshotMode: env.PG2DDB_SNAPSHOT_MODE } : {}),
      ...(env.PG2DDB_SLOT_NAME ? { slotName: env.PG2DDB_SLOT_NAME } : {}),
      ...(env.PG2DDB_PUBLICATION_NAME ? { publicationName: env.PG2DDB_PUBLICATION_NAME } : {}),
      ...(env.PG2DDB_SIGNAL_TABLE ? { signalTable: env.PG2DDB_SIGNAL_TABLE } : {}),
      ...(env.PG2DDB_HEARTBEAT_TABLE ? { heartbeatTable: env.PG2DDB_HEARTBEAT_TABLE } : {}),
      ...(env.PG2DDB_SNAPSHOT_CHUNK_SIZE ? { snapshotChunkSize: Number(env.PG2DDB_SNAPSHOT_CHUNK_SIZE) } : {}),
      ...(env.PG2DDB_CHANGE_TOPIC_PARTITIONS ? { topicPartitions: Number(env.PG2DDB_CHANGE_TOPIC_PARTITIONS) } : {}),
      ...(env.PG2DDB_CHANGE_TOPIC_REPLICAS ? { topicReplicationFactor: Number(env.PG2DDB_CHANGE_TOPIC_REPLICAS) } : {}),
    };
  },
};
