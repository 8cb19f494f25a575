import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectorName, defaultSignalTable, defaultSlotName, notificationTopic, renderConnectorConfig } from './connector-config';

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
      'table.include.list': 'public\\.orders,public\\.order_items,public\\.pg2ddb_signal_shop_1',
      'snapshot.mode': 'initial',
      'signal.enabled.channels': 'source',
      'signal.data.collection': 'public.pg2ddb_signal_shop_1',
      'incremental.snapshot.chunk.size': '1024',
      'notification.enabled.channels': 'sink',
      'notification.sink.topic.name': 'shop-1.notifications',
      'decimal.handling.mode': 'string',
    });
    expect(Object.values(config).some((value) => /\$\{[a-z.]+\}/.test(value))).toBe(false);
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
    expect(config['table.include.list']).toBe('public\\.orders,public\\.order_items,ops\\.signals');
    expect(config['incremental.snapshot.chunk.size']).toBe('50');
    expect(() => renderConnectorConfig(template, { ...settings, signalTable: 'signals' })).toThrow('signal table must be "schema.table", got "signals"');
    expect(() => renderConnectorConfig(template, { ...settings, snapshotChunkSize: 0 })).toThrow('incremental snapshot chunk size must be a positive whole number, got 0');
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
    expect(defaultSignalTable('My.Prefix-2', ['sales.orders', 'public.x'])).toBe('sales.pg2ddb_signal_my_prefix_2');
    expect(notificationTopic('p')).toBe('p.notifications');
    expect(defaultSlotName('My.Prefix-2')).toBe('pg2ddb_my_prefix_2');
    expect(defaultSlotName('x'.repeat(100))).toHaveLength(63);
    expect(connectorName('p')).toBe('pg2ddb-p');
  });
});
