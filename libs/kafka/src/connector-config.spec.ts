import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertNoPlaintextSecret, connectorName, defaultHeartbeatTable, defaultSignalTable, defaultSlotName, isConfigProviderReference, notificationTopic, renderConnectorConfig } from './connector-config';

const template = readFileSync(join(__dirname, '../../../infra/debezium/postgres-connector.json'), 'utf8');
const settings = {
  topicPrefix: 'shop-1',
  database: { host: 'db', port: 5432, user: 'u', password: '${file:/s/pg.properties:password}', dbname: 'app' },
  tables: ['public.orders', 'public.order_items'],
};

describe('renderConnectorConfig', () => {
  it('fills the shipped template from settings', () => {
    const { name, config } = renderConnectorConfig(template, settings);
    expect(name).toBe('pg2ddb-shop-1');
    expect(config).toMatchObject({
      'plugin.name': 'pgoutput',
      'database.hostname': 'db',
      'database.port': '5432',
      'database.password': '${file:/s/pg.properties:password}',
      'topic.prefix': 'shop-1',
      'slot.name': 'pg2ddb_shop_1',
      'publication.name': 'pg2ddb_shop_1',
      'table.include.list': 'public\\.orders,public\\.order_items,public\\.pg2ddb_signal_shop_1,public\\.pg2ddb_heartbeat_shop_1',
      'heartbeat.interval.ms': '10000',
      'heartbeat.action.query':
        'INSERT INTO "public"."pg2ddb_heartbeat_shop_1" (id, beat_at) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET beat_at = EXCLUDED.beat_at',
      'snapshot.mode': 'initial',
      'signal.enabled.channels': 'source',
      'signal.data.collection': 'public.pg2ddb_signal_shop_1',
      'incremental.snapshot.chunk.size': '1024',
      'notification.enabled.channels': 'sink',
      'notification.sink.topic.name': 'shop-1.notifications',
      'decimal.handling.mode': 'string',
      'publication.autocreate.mode': 'filtered',
    });
    expect(Object.values(config).some((value) => /\$\{[a-z.]+\}/.test(value))).toBe(false);
  });

  it('sizes and configures the change topics and the producer from the topic policy', () => {
    expect(renderConnectorConfig(template, settings).config).toMatchObject({
      'producer.override.max.request.size': String(16 * 1024 * 1024),
      'topic.creation.default.max.message.bytes': String(16 * 1024 * 1024),
      'topic.creation.default.replication.factor': '1',
      'topic.creation.default.min.insync.replicas': '1',
      'topic.creation.default.retention.ms': String(7 * 24 * 3600 * 1000),
      'topic.creation.default.cleanup.policy': 'delete',
    });
    const policy = { replicationFactor: 3, minInsyncReplicas: 2, retentionMs: 86_400_000, dlqRetentionMs: -1, maxEventBytes: 8 * 1024 * 1024 };
    expect(renderConnectorConfig(template, { ...settings, topicPolicy: policy }).config).toMatchObject({
      'producer.override.max.request.size': String(8 * 1024 * 1024),
      'topic.creation.default.max.message.bytes': String(8 * 1024 * 1024),
      'topic.creation.default.replication.factor': '3',
      'topic.creation.default.min.insync.replicas': '2',
      'topic.creation.default.retention.ms': '86400000',
    });
  });

  it('rejects unknown placeholders, unused settings and an empty table list', () => {
    expect(() => renderConnectorConfig('{"name":"${connector.name}","config":{"x":"${nope}"}}', settings)).toThrow(
      'connector template has an unknown placeholder ${nope}',
    );
    expect(() => renderConnectorConfig('{"name":"${connector.name}","config":{}}', settings)).toThrow(
      /^connector template does not use: database.hostname, /,
    );
    expect(() => renderConnectorConfig(template, { ...settings, tables: [] })).toThrow('the mapping has no source tables to capture');
  });

  it('captures a configured signal table and chunk size, and rejects bad ones', () => {
    const { config } = renderConnectorConfig(template, { ...settings, signalTable: 'ops.signals', snapshotChunkSize: 50 });
    expect(config['signal.data.collection']).toBe('ops.signals');
    expect(config['table.include.list']).toBe('public\\.orders,public\\.order_items,ops\\.signals,public\\.pg2ddb_heartbeat_shop_1');
    expect(config['incremental.snapshot.chunk.size']).toBe('50');
    expect(() => renderConnectorConfig(template, { ...settings, signalTable: 'signals' })).toThrow('signal table must be "schema.table", got "signals"');
    expect(() => renderConnectorConfig(template, { ...settings, snapshotChunkSize: 0 })).toThrow('incremental snapshot chunk size must be a positive whole number, got 0');
  });

  it('captures a configured heartbeat table and rejects one that would need quoting', () => {
    const { config } = renderConnectorConfig(template, { ...settings, heartbeatTable: 'ops.beat' });
    expect(config['table.include.list']).toBe('public\\.orders,public\\.order_items,public\\.pg2ddb_signal_shop_1,ops\\.beat');
    expect(config['heartbeat.action.query']).toBe('INSERT INTO "ops"."beat" (id, beat_at) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET beat_at = EXCLUDED.beat_at');
    expect(() => renderConnectorConfig(template, { ...settings, heartbeatTable: 'ops.Beat"; DROP TABLE x' })).toThrow(
      `heartbeat table must be "schema.table" in lowercase letters, digits and '_', got "ops.Beat"; DROP TABLE x"`,
    );
  });

  it('sets the change topics\' partitions and replication factor, and rejects bad ones', () => {
    const { config } = renderConnectorConfig(template, { ...settings, topicPartitions: 6, topicReplicationFactor: 3 });
    expect(config['topic.creation.default.partitions']).toBe('6');
    expect(config['topic.creation.default.replication.factor']).toBe('3');
    expect(() => renderConnectorConfig(template, { ...settings, topicPartitions: Number('six') })).toThrow(
      'change topic partitions must be a positive whole number, got NaN',
    );
    expect(() => renderConnectorConfig(template, { ...settings, topicReplicationFactor: 0 })).toThrow(
      'change topic replication factor must be a positive whole number, got 0',
    );
  });

  it('derives valid slot and connector names', () => {
    expect(defaultHeartbeatTable('My.Prefix-2', ['sales.orders'])).toBe('sales.pg2ddb_heartbeat_my_prefix_2');
    expect(defaultSignalTable('My.Prefix-2', ['sales.orders', 'public.x'])).toBe('sales.pg2ddb_signal_my_prefix_2');
    expect(notificationTopic('p')).toBe('p.notifications');
    expect(defaultSlotName('My.Prefix-2')).toBe('pg2ddb_my_prefix_2');
    expect(defaultSlotName('x'.repeat(100))).toHaveLength(63);
    expect(connectorName('p')).toBe('pg2ddb-p');
  });
});

describe('connector secrets', () => {
  it('lets the connector use a publication the admin role made (a role that owns no table)', () => {
    expect(renderConnectorConfig(template, { ...settings, publicationAutocreate: 'disabled' }).config['publication.autocreate.mode']).toBe('disabled');
  });

  it.each([
    ['${env:PG2DDB_DEBEZIUM_PASSWORD}', true],
    ['${file:/opt/secrets/pg.properties:password}', true],
    ['${secrets:pg2ddb/pg:password}', true],
    ['s3cr3t-password', false],
    ['${not a reference', false],
    ['prefix${env:X}', false],
    ['${env:X}${env:Y}', false],
  ])('%s is a config-provider reference: %s', (value, expected) => {
    expect(isConfigProviderReference(value)).toBe(expected);
  });

  it('refuses a clear-text password unless allowed, naming the setting and not the secret', () => {
    const connector = renderConnectorConfig(template, { ...settings, database: { ...settings.database, password: 'hunter2-very-secret' } });
    expect(() => assertNoPlaintextSecret(connector)).toThrow(
      expect.objectContaining({ code: 'CONNECTOR_PLAINTEXT_SECRET', message: expect.stringContaining('set PG2DDB_CONNECTOR_DB_PASSWORD to a config-provider reference') }),
    );
    expect(() => assertNoPlaintextSecret(connector)).toThrow(expect.not.objectContaining({ message: expect.stringContaining('hunter2') }));
    expect(() => assertNoPlaintextSecret(connector, true)).not.toThrow();
    expect(() => assertNoPlaintextSecret(renderConnectorConfig(template, settings))).not.toThrow();
  });
});
