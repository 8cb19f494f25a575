import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '@pg2ddb/dynamo';
import { connectorName, createKafka, kafkaSecurity, type ConnectAuth, defaultHeartbeatTable, defaultSignalTable, defaultSlotName, type ConnectorSettings } from '@pg2ddb/kafka';
import type { CompiledMapping } from '@pg2ddb/mapping';
import { createPgPool } from '@pg2ddb/postgres';
import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { settings } from '../cli-settings';
import { loadMappingFile } from '../load-mapping-file';
import { UsageError } from './exit-codes';

/**
 * What a pipeline command works with: the compiled mapping, the deployment's names (prefix,
 * connector, slot, publication, signal table) and lazily opened clients, closed by `close()`.
 */
export class PipelineContext {
  private pgPool?: Pool;
  private dynamoClient?: DynamoDBClient;
  private kafkaClient?: Kafka;
  private connectorSettings?: ConnectorSettings;
  readonly prefix: string;
  readonly connectorName: string;
  readonly slot: string;
  readonly publication: string;
  readonly signalTable: string;
  readonly heartbeatTable: string;
  readonly connectUrl: string;

  constructor(
    readonly mappingPath: string,
    readonly mapping: CompiledMapping,
    readonly env: Record<string, string | undefined>,
  ) {
    // Names only: a command that needs just Kafka (dlq) must not fail on unset PostgreSQL settings.
    this.prefix = settings.topicPrefix(env);
    this.connectorName = connectorName(this.prefix);
    const tables = mapping.sourceTables().map(({ schema, table }) => `${schema}.${table}`);
    this.slot = env.PG2DDB_SLOT_NAME || defaultSlotName(this.prefix);
    this.publication = env.PG2DDB_PUBLICATION_NAME || this.slot;
    this.signalTable = env.PG2DDB_SIGNAL_TABLE || defaultSignalTable(this.prefix, tables);
    this.heartbeatTable = env.PG2DDB_HEARTBEAT_TABLE || defaultHeartbeatTable(this.prefix, tables);
    this.connectUrl = settings.connectUrl(env);
  }

  /** Basic auth of the Connect REST API (PG2DDB_CONNECT_USERNAME / PG2DDB_CONNECT_PASSWORD), if any. */
  get connectAuth(): ConnectAuth | undefined {
    return settings.connectAuth(this.env);
  }

  /** The connector's settings (reads the PostgreSQL settings: only commands that register it need them). */
  get connector(): ConnectorSettings {
    this.connectorSettings ??= settings.connector(this.env, this.mapping);
    return this.connectorSettings;
  }

  /** Loads the mapping named by --mapping (a usage error when the flag is missing). */
  static open(mappingPath: string | undefined, env: Record<string, string | undefined>): PipelineContext {
    if (!mappingPath) throw new UsageError('--mapping FILE is required');
    return new PipelineContext(mappingPath, loadMappingFile(mappingPath), env);
  }

  /** Text for timestamps, UTC, ISO intervals: what `mapRow` needs to read values exactly. */
  get pg(): Pool {
    this.pgPool ??= createPgPool(settings.postgres(this.env), { options: '-c TimeZone=UTC -c IntervalStyle=iso_8601', connectionTimeoutMillis: 5000 });
    return this.pgPool;
  }

  get dynamo(): DynamoDBClient {
    this.dynamoClient ??= createDynamoClient(settings.dynamo(this.env));
    return this.dynamoClient;
  }

  /** Fails within seconds when the brokers do not answer, so a CLI call never hangs. */
  get kafka(): Kafka {
    const kafka = settings.kafka(this.env);
    this.kafkaClient ??= createKafka({
      ...kafkaSecurity(kafka),
      brokers: kafka.PG2DDB_KAFKA_BROKERS,
      clientId: 'pg2ddb-cli',
      connectionTimeout: 3000,
      requestTimeout: 10000,
      retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1000 },
    });
    return this.kafkaClient;
  }

  async close(): Promise<void> {
    await this.pgPool?.end().catch(() => undefined);
    this.dynamoClient?.destroy();
  }
}
