import { DeleteTableCommand, GetItemCommand, QueryCommand, ScanCommand, type QueryCommandInput, type AttributeValue as SdkAttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDynamoClient, ensureTable, fromSdkItem, toSdkItem, tombstoneTableName } from '@pg2ddb/dynamo';
import { changeTopic, topicNames, type AttributeMap } from '@pg2ddb/contracts';
import { applyPostgresConnector, ConnectClient, connectorName, createKafka, defaultHeartbeatTable, defaultSignalTable, defaultSlotName, rewindConsumerGroup } from '@pg2ddb/kafka';
import { compileMapping, loadMapping, type CompiledMapping } from '@pg2ddb/mapping';
import { createPgPool, dropPublication, dropReplicationSlot, grantReconcilerAccess, migratePg2ddbSchema, prepareConnectorSource, quoteIdent } from '@pg2ddb/postgres';
import { repoRoot, startServiceProcess, type ServiceName, type ServiceProcess } from '@pg2ddb/service';
import type { Pool } from 'pg';
import { readStackEnv, type StackEnv } from './local-stack';
import { testTempDir } from './temp-dir';
import { randomId } from './random-names';

/** The random names one test owns. */
export interface PipelineNames {
  id: string;
  /** Postgres schema holding the test's tables. */
  schema: string;
  /** Kafka topic prefix (Debezium topic.prefix). */
  prefix: string;
  /** DynamoDB table name. */
  table: string;
}

export interface PipelineOptions {
  /** Mapping text (YAML or JSON); its table name and source schemas are replaced by the test's own. */
  mapping: string;
  /** SQL run in the test's schema before the connector starts (tables, replica identity, seed rows). */
  schemaSql: string;
  services?: ServiceName[];
  /** Turn TTL on for the test's table (off by default: DynamoDB deletes expired items). */
  enableTtl?: boolean;
  /** DynamoDB for the test's table and every service (default: the stack's), e.g. a PrivateDynamoEmulator. */
  dynamoEndpoint?: string;
  /** Kafka Connect REST URL for the test's connector (default: the stack's), e.g. a PrivateConnectWorker. */
  connectUrl?: string;
  /** Extra environment of one service, e.g. the writer's DynamoDB endpoint through a DynamoFaultProxy. */
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Runs after `schemaSql` and the connector's grants and publication, before the connector is registered (e.g. to open a transaction). */
  beforeConnector?: (context: { names: PipelineNames; env: StackEnv }) => Promise<void>;
  /** Connector properties set on top of the shipped template (e.g. Debezium's snapshot locking). */
  connectorOverrides?: Record<string, string>;
  /** Runs while the connector starts (its slot creation and snapshot), concurrently with the wait. */
  whileConnectorStarts?: (context: { names: PipelineNames; env: StackEnv }) => Promise<void>;
}

/**
 * One isolated pipeline on the shared stack: its own Postgres schema, topic prefix, connector and
 * replication slot, DynamoDB table and service processes. Tests on the same stack never meet.
 */
export class TestPipeline {
  private constructor(
    readonly names: PipelineNames,
    readonly env: StackEnv,
    readonly pg: Pool,
    readonly dynamo: DynamoDBClient,
    readonly mapping: CompiledMapping,
    readonly mappingFile: string,
    readonly workDir: string,
    private readonly services: ServiceProcess[],
    private readonly serviceEnv: (name: ServiceName) => Record<string, string>,
    /** The Kafka Connect REST URL the test's connector is registered with. */
    readonly connectUrl: string,
    /** What every service of this pipeline is started with, before per-service settings. */
    private readonly baseEnv: Record<string, string>,
  ) {}

  static async start(options: PipelineOptions): Promise<TestPipeline> {
    const env = readStackEnv();
    const id = randomId('e2e');
    const names: PipelineNames = { id, schema: id, prefix: id, table: `pg2ddb-${id}` };
    const workDir = testTempDir(id);
    const definition = loadMapping(options.mapping, 'test mapping');
    definition.table.name = names.table;
    for (const entity of definition.entities) entity.source.schema = names.schema;
    const mappingFile = join(workDir, 'mapping.json');
    writeFileSync(mappingFile, JSON.stringify(definition, null, 2));
    const mapping = compileMapping(definition, mappingFile);

    const pg = createPgPool(pgConnection(env), { options: `-c search_path=${names.schema}` });
    await pg.query(`CREATE SCHEMA ${quoteIdent(names.schema)}`);
    await pg.query(options.schemaSql);

    const dynamoEndpoint = options.dynamoEndpoint ?? env.PG2DDB_DYNAMO_ENDPOINT;
    const dynamo = createDynamoClient({ endpoint: dynamoEndpoint, region: env.AWS_REGION ?? 'us-east-1' });
    // TTL stays off on test tables: DynamoDB really deletes expired items, and fixtures with
    // past dates would vanish mid-test. The TTL attribute's value is still written and asserted.
    const { ttlAttribute: _ttl, ...withoutTtl } = mapping.table;
    await ensureTable(dynamo, options.enableTtl ? mapping.table : withoutTtl);

    const tables = mapping.sourceTables().map(({ schema, table }) => `${schema}.${table}`);
    // The least-privilege roles of the stack (docs/security.md), so every e2e run proves them: the
    // connector logs in as its own role with a password the Connect worker resolves from its
    // environment, after the admin role made the publication and granted what it needs.
    const admin = pgConnection(env);
    const connectorUser = env.PG2DDB_CONNECTOR_DB_USER || admin.user;
    const slot = defaultSlotName(names.prefix);
    await prepareConnectorSource(pg, {
      adminUser: admin.user,
      connectorUser,
      publication: slot,
      tables,
      signalTable: defaultSignalTable(names.prefix, tables),
      heartbeatTable: defaultHeartbeatTable(names.prefix, tables),
    });
    const ownRole = connectorUser !== admin.user;
    await options.beforeConnector?.({ names, env });
    const connectorRunning = applyPostgresConnector({
      connectUrl: options.connectUrl ?? must(env, 'PG2DDB_CONNECT_URL'),
      templatePath: join(repoRoot(), 'infra/debezium/postgres-connector.json'),
      settings: {
        topicPrefix: names.prefix,
        database: {
          ...admin,
          user: connectorUser,
          password: ownRole ? CONNECTOR_PASSWORD_REFERENCE : admin.password,
          dbname: must(env, 'PG2DDB_PG_DATABASE'),
          // as the cli renders it: the stack's verify-full against its test CA (docs/security.md)
          ...(env.PG2DDB_PG_SSLMODE ? { sslmode: env.PG2DDB_PG_SSLMODE as 'verify-full' } : {}),
          ...(env.PG2DDB_PG_SSL_ROOT_CERT ? { sslRootCert: env.PG2DDB_PG_SSL_ROOT_CERT } : {}),
        },
        tables,
        publicationAutocreate: ownRole ? 'disabled' : 'filtered',
      },
      allowPlaintextSecret: !ownRole,
      ...(options.connectorOverrides ? { overrides: options.connectorOverrides } : {}),
    });
    await Promise.all([connectorRunning, options.whileConnectorStarts?.({ names, env })]);

    const serviceEnv: Record<string, string> = {
      ...env,
      PG2DDB_MAPPING_FILE: mappingFile,
      PG2DDB_TOPIC_PREFIX: names.prefix,
      PG2DDB_LOG_FORMAT: 'json',
      ...(dynamoEndpoint === undefined ? {} : { PG2DDB_DYNAMO_ENDPOINT: dynamoEndpoint }),
    };
    // The reconciler reads with its read-only role; its run history lives in the pg2ddb schema,
    // which the admin role migrates first.
    const reconcilerRole = env.PG2DDB_RECONCILER_PG_USER;
    const readOnly: Record<string, string> = {};
    if (reconcilerRole && (options.services ?? []).includes('reconciler')) {
      await migratePg2ddbSchema(pg, admin);
      await grantReconcilerAccess(pg, reconcilerRole, tables);
      readOnly.PG2DDB_PG_USER = reconcilerRole;
      readOnly.PG2DDB_PG_PASSWORD = env.PG2DDB_RECONCILER_PG_PASSWORD ?? '';
    }
    const envOf = (name: ServiceName) => ({ ...serviceEnv, ...(name === 'reconciler' ? readOnly : {}), ...options.serviceEnv?.[name] });
    const services = await Promise.all(
      (options.services ?? ['transformer', 'writer']).map((name) => startServiceProcess(name, envOf(name), join(workDir, `${name}.log`))),
    );
    const pipeline = new TestPipeline(names, env, pg, dynamo, mapping, mappingFile, workDir, services, envOf, options.connectUrl ?? must(env, 'PG2DDB_CONNECT_URL'), serviceEnv);
    try {
      await Promise.all(services.map((service) => service.ready()));
    } catch (error) {
      await pipeline.stop();
      throw error;
    }
    return pipeline;
  }

  /** Reads one item (strongly consistent) in the contract's JSON form, or undefined. */
  async item(key: AttributeMap): Promise<AttributeMap | undefined> {
    const response = await this.dynamo.send(new GetItemCommand({ TableName: this.names.table, Key: toSdkItem(key), ConsistentRead: true }));
    return response.Item ? fromSdkItem(response.Item) : undefined;
  }

  /** One Query on the test's table or one of its GSIs, every page, items in the contract's form. */
  async queryItems(input: Omit<QueryCommandInput, 'TableName' | 'ExpressionAttributeValues'> & { values: AttributeMap }): Promise<AttributeMap[]> {
    const { values, ...rest } = input;
    const items: AttributeMap[] = [];
    let startKey: QueryCommandInput['ExclusiveStartKey'];
    do {
      const page = await this.dynamo.send(
        new QueryCommand({ ...rest, TableName: this.names.table, ExpressionAttributeValues: toSdkItem(values), ExclusiveStartKey: startKey }),
      );
      items.push(...(page.Items ?? []).map(fromSdkItem));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /** Every item of the test's table (a full scan: test sizes only). */
  async items(): Promise<AttributeMap[]> {
    const items: AttributeMap[] = [];
    let startKey: Record<string, SdkAttributeValue> | undefined;
    do {
      const page = await this.dynamo.send(new ScanCommand({ TableName: this.names.table, ConsistentRead: true, ExclusiveStartKey: startKey }));
      for (const item of page.Items ?? []) items.push(fromSdkItem(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /** Runs SQL in the test's schema. */
  query(sql: string, params: unknown[] = []): Promise<unknown[]> {
    return this.pg.query(sql, params).then((result) => result.rows);
  }

  /** The base URL of a running service's HTTP side (health and metrics). */
  serviceUrl(name: ServiceName): string {
    const service = this.services.find((candidate) => candidate.name === name);
    if (!service) throw new Error(`${name} is not running in this pipeline`);
    return `http://127.0.0.1:${service.httpPort}`;
  }

  /**
   * Stops a service, optionally moves its consumer group back to the start of its topics (a full
   * replay), and starts it again; resolves when it is ready.
   */
  async restartService(name: ServiceName, options: { replayFromStart?: boolean } = {}): Promise<void> {
    const index = this.services.findIndex((service) => service.name === name);
    if (index < 0) throw new Error(`${name} is not running in this pipeline`);
    await (this.services[index] as ServiceProcess).stop();
    if (options.replayFromStart) {
      const kafka = createKafka({ brokers: must(this.env, 'PG2DDB_KAFKA_BROKERS').split(','), clientId: `${this.names.id}-test` });
      const topics =
        name === 'writer'
          ? [topicNames(this.names.prefix).writes]
          : this.mapping.sourceTables().map(({ schema, table }) => changeTopic(this.names.prefix, schema, table));
      await rewindConsumerGroup(kafka, `${this.names.prefix}.${name}`, topics);
    }
    const service = await startServiceProcess(name, this.serviceEnv(name), join(this.workDir, `${name}.log`));
    this.services[index] = service;
    await service.ready();
  }

  /** Kills a service with SIGKILL (a crash: no shutdown hooks, no offset commit) and waits until it is gone. */
  async killService(name: ServiceName): Promise<void> {
    const service = this.services.find((candidate) => candidate.name === name);
    if (!service) throw new Error(`${name} is not running in this pipeline`);
    await service.kill('SIGKILL');
  }

  /** Starts a service again after killService (or restarts a running one); resolves when it is ready. */
  async startService(name: ServiceName): Promise<void> {
    await this.restartService(name);
  }

  /**
   * Starts one more instance of a service on this pipeline (a second writer joining its group):
   * the pipeline's own settings without the per-service ones, plus `env`; its log goes to
   * `<label>.log`. Resolves when it is ready; the caller stops it.
   */
  async startReplica(name: ServiceName, label: string, env: Record<string, string> = {}, readyTimeoutMs = 120_000): Promise<ServiceProcess> {
    const replica = await startServiceProcess(name, { ...this.baseEnv, ...env }, join(this.workDir, `${label}.log`));
    try {
      await replica.ready(readyTimeoutMs);
    } catch (error) {
      await replica.stop();
      throw error;
    }
    return replica;
  }

  /** Stops the services, removes the connector, its slot and publication, the schema and the table. */
  async stop(): Promise<void> {
    await Promise.all(this.services.map((service) => service.stop()));
    const connect = new ConnectClient(this.connectUrl);
    await connect.delete(connectorName(this.names.prefix)).catch(() => false);
    const slot = defaultSlotName(this.names.prefix);
    await dropReplicationSlot(this.pg, slot).catch(() => false);
    await dropPublication(this.pg, slot).catch(() => undefined);
    await this.pg.query(`DROP SCHEMA IF EXISTS ${quoteIdent(this.names.schema)} CASCADE`).catch(() => undefined);
    await this.pg.end();
    await this.dynamo.send(new DeleteTableCommand({ TableName: this.names.table })).catch(() => undefined);
    await this.dynamo.send(new DeleteTableCommand({ TableName: tombstoneTableName(this.names.table) })).catch(() => undefined);
    this.dynamo.destroy();
  }
}

/** How the stack's Connect worker gets the connector role's password (its EnvVarConfigProvider). */
const CONNECTOR_PASSWORD_REFERENCE = '${env:PG2DDB_DEBEZIUM_PASSWORD}';

/** The stack's PostgreSQL connection settings, for a test's own extra clients. */
export function pgConnection(env: StackEnv) {
  return {
    host: must(env, 'PG2DDB_PG_HOST'),
    port: Number(must(env, 'PG2DDB_PG_PORT')),
    user: must(env, 'PG2DDB_PG_USER'),
    password: env.PG2DDB_PG_PASSWORD ?? '',
    database: must(env, 'PG2DDB_PG_DATABASE'),
  };
}

function must(env: StackEnv, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') throw new Error(`the stack settings have no ${name}; is the stack started?`);
  return value;
}
