import { connectEnv, dynamoEnv, kafkaEnv, postgresEnv, readEnv, topicsEnv } from '@pg2ddb/config';
import { topicPolicy, type ConnectorSettings } from '@pg2ddb/kafka';
import type { CompiledMapping } from '@pg2ddb/mapping';
import type { PgConnection } from '@pg2ddb/postgres';

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
  connector(env: Record<string, string | undefined>, mapping: CompiledMapping): ConnectorSettings {
    const pg = settings.postgres(env);
    return {
      topicPrefix: settings.topicPrefix(env),
      // A config-provider reference here (e.g. ${env:PG2DDB_DEBEZIUM_PASSWORD}, resolved by the Connect
      // worker) keeps the password out of the connector's config and Connect's REST API.
      database: { host: pg.host, port: pg.port, user: pg.user, password: env.PG2DDB_CONNECTOR_DB_PASSWORD || pg.password, dbname: pg.database },
      tables: mapping.sourceTables().map(({ schema, table }) => `${schema}.${table}`),
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
