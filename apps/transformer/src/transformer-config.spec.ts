import { readTransformerConfig } from './transformer-config';

const required = { PG2DDB_KAFKA_BROKERS: '127.0.0.1:9092', PG2DDB_MAPPING_FILE: 'mapping.yaml' };

describe('readTransformerConfig', () => {
  it('processes four partitions at once unless told otherwise', () => {
    expect(readTransformerConfig(required).PG2DDB_TRANSFORMER_PARTITIONS_CONCURRENTLY).toBe(4);
    expect(readTransformerConfig({ ...required, PG2DDB_TRANSFORMER_PARTITIONS_CONCURRENTLY: '16' }).PG2DDB_TRANSFORMER_PARTITIONS_CONCURRENTLY).toBe(16);
  });

  it('names every missing setting and a concurrency outside 1..256 in one error', () => {
    let message = '';
    try {
      readTransformerConfig({ PG2DDB_TRANSFORMER_PARTITIONS_CONCURRENTLY: '0' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/PG2DDB_KAFKA_BROKERS is required/);
    expect(message).toMatch(/PG2DDB_MAPPING_FILE is required/);
    expect(message).toMatch(/PG2DDB_TRANSFORMER_PARTITIONS_CONCURRENTLY/);
  });
});
