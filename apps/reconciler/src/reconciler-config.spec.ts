import { readReconcilerConfig } from './reconciler-config';

const base = { PG2DDB_KAFKA_BROKERS: 'k:9092', PG2DDB_PG_USER: 'u', PG2DDB_PG_DATABASE: 'd', PG2DDB_MAPPING_FILE: 'm.yaml' };

describe('reconciler configuration', () => {
  it('defaults to scheduled sample runs without the endpoint', () => {
    const config = readReconcilerConfig(base);
    expect(config).toMatchObject({ PG2DDB_RECONCILE_SCHEDULE: true, PG2DDB_RECONCILE_MODE: 'sample', PG2DDB_RECONCILE_SAMPLE_SIZE: 100, PG2DDB_RECONCILE_REPAIR: false, PG2DDB_RECONCILE_ENDPOINT: false });
  });

  it('refuses to enable the endpoint without a token', () => {
    expect(() => readReconcilerConfig({ ...base, PG2DDB_RECONCILE_ENDPOINT: 'true' })).toThrow('PG2DDB_RECONCILE_ENDPOINT=true needs PG2DDB_RECONCILER_TOKEN');
  });

  it('refuses a short token and never shows it', () => {
    let message = '';
    try {
      readReconcilerConfig({ ...base, PG2DDB_RECONCILE_ENDPOINT: 'true', PG2DDB_RECONCILER_TOKEN: 'hunter2' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('PG2DDB_RECONCILER_TOKEN=*** is invalid: use at least 16 characters');
    expect(message).not.toContain('hunter2');
  });

  it('accepts the endpoint with a token', () => {
    expect(readReconcilerConfig({ ...base, PG2DDB_RECONCILE_ENDPOINT: 'true', PG2DDB_RECONCILER_TOKEN: 'a'.repeat(32) }).PG2DDB_RECONCILE_ENDPOINT).toBe(true);
  });

  it('names bad values: unknown mode, recent mode without its column', () => {
    expect(() => readReconcilerConfig({ ...base, PG2DDB_RECONCILE_MODE: 'everything' })).toThrow('PG2DDB_RECONCILE_MODE="everything" is invalid: must be one of count, sample, full, recent');
    expect(() => readReconcilerConfig({ ...base, PG2DDB_RECONCILE_MODE: 'recent' })).toThrow('PG2DDB_RECONCILE_MODE=recent needs PG2DDB_RECONCILE_RECENT_COLUMN');
  });
});
