import type { INestApplication } from '@nestjs/common';
import { Module } from '@nestjs/common';
import type { ReconcileReport } from '@pg2ddb/reconcile';
import { bootstrapService, StructuredLogger } from '@pg2ddb/service';
import { adminPermission } from './admin-auth';
import { ReconcileController } from './reconcile.controller';
import { readReconcilerConfig } from './reconciler-config';
import { ReconciliationService, type OnDemandRequest } from './reconciliation.service';
import { RECONCILER_CONFIG } from './tokens';

const ADMIN = 'admin-token-0123456789';
const REPAIR = 'repair-token-0123456789';

describe('adminPermission', () => {
  it('grants reconcile to the admin token, repair to the repair token, nothing otherwise', () => {
    const tokens = { admin: ADMIN, repair: REPAIR };
    expect(adminPermission(`Bearer ${ADMIN}`, tokens)).toBe('reconcile');
    expect(adminPermission(`Bearer ${REPAIR}`, tokens)).toBe('repair');
    expect(adminPermission(`Bearer ${ADMIN}x`, tokens)).toBe('none');
    expect(adminPermission(ADMIN, tokens)).toBe('none');
    expect(adminPermission(undefined, tokens)).toBe('none');
    expect(adminPermission('Bearer ', { admin: '' })).toBe('none');
  });
});

// The controller on a real HTTP server (bootstrapService, as the reconciler starts it) with the
// comparison itself replaced: what is tested is who may start what, and the request size bound.
describe('POST /reconcile over HTTP', () => {
  let app: INestApplication;
  let url: string;
  const runs: OnDemandRequest[] = [];

  beforeAll(async () => {
    const config = readReconcilerConfig({
      PG2DDB_KAFKA_BROKERS: 'k:9092', PG2DDB_PG_USER: 'u', PG2DDB_PG_DATABASE: 'd', PG2DDB_MAPPING_FILE: 'm.yaml',
      PG2DDB_RECONCILE_ENDPOINT: 'true', PG2DDB_RECONCILER_TOKEN: ADMIN, PG2DDB_REPAIR_TOKEN: REPAIR,
    });
    const reconciliation = { run: async (request: OnDemandRequest) => (runs.push(request), { runId: 'r', entities: [] } as unknown as ReconcileReport) };
    @Module({ controllers: [ReconcileController], providers: [{ provide: ReconciliationService, useValue: reconciliation }, { provide: RECONCILER_CONFIG, useValue: config }] })
    class TestModule {}
    app = await bootstrapService({ name: 'reconciler-test', module: TestModule, logger: new StructuredLogger('reconciler-test', 'json', 'error'), httpPort: 0, httpHost: '127.0.0.1' });
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}/reconcile`;
  });

  afterAll(async () => {
    await app?.close();
  });

  const post = (body: string, token?: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body });

  it('answers 401 without a valid token and starts nothing', async () => {
    expect((await post('{"mode":"count"}')).status).toBe(401);
    expect((await post('{"mode":"count"}', `${ADMIN}x`)).status).toBe(401);
    expect(runs).toEqual([]);
  });

  it('lets the admin token compare but not repair (403), and the repair token do both', async () => {
    expect((await post('{"mode":"count"}', ADMIN)).status).toBe(200);
    const refused = await post('{"mode":"full","repair":true}', ADMIN);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toBe('repair needs the repair token (PG2DDB_REPAIR_TOKEN); send "repair": false to compare only');
    expect((await post('{"mode":"full","repair":true}', REPAIR)).status).toBe(200);
    expect(runs).toEqual([{ mode: 'count' }, { mode: 'full', repair: true }]);
  });

  it('refuses a body over 16 KiB with 413 before parsing it', async () => {
    const big = JSON.stringify({ mode: 'count', entities: ['x'.repeat(17 * 1024)] });
    expect((await post(big, REPAIR)).status).toBe(413);
    expect(runs).toHaveLength(2);
  });
});
