import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { toSdkItem } from '@pg2ddb/dynamo';
import { latestReconciliationRuns, migratePg2ddbSchema } from '@pg2ddb/postgres';
import type { ReconcileReport } from '@pg2ddb/reconcile';
import { startServiceProcess, type ServiceProcess } from '@pg2ddb/service';
import { eventually, keyOf, pgConnection, TestPipeline } from '@pg2ddb/testing';
import { runCliAsync } from './cli-support';

// The reconciler service itself: on-demand runs over its authenticated HTTP endpoint, drift in
// its metrics and run history in pg2ddb.reconciliation_runs; and the token never reaches its log.
const examples = join(__dirname, '../../../examples/payments');
const TOKEN = `e2e-${Math.random().toString(36).slice(2)}-${Date.now()}`;
const REPAIR_TOKEN = `e2e-repair-${Math.random().toString(36).slice(2)}-${Date.now()}`;

describe('the reconciler service', () => {
  let pipeline: TestPipeline;
  let reconciler: ServiceProcess;
  const logFile = () => join(pipeline.workDir, 'reconciler.log');

  beforeAll(async () => {
    pipeline = await TestPipeline.start({
      mapping: readFileSync(join(examples, 'mapping.yaml'), 'utf8'),
      schemaSql: `${readFileSync(join(examples, 'schema.sql'), 'utf8')}\n${readFileSync(join(examples, 'seed.sql'), 'utf8').replaceAll('{{rows}}', '25')}`,
    });
    await eventually(async () => expect(await pipeline.items()).toHaveLength(25), { timeoutMs: 60000 });
    reconciler = await startServiceProcess(
      'reconciler',
      {
        ...(pipeline.env as Record<string, string>),
        PG2DDB_MAPPING_FILE: pipeline.mappingFile,
        PG2DDB_TOPIC_PREFIX: pipeline.names.prefix,
        PG2DDB_LOG_FORMAT: 'json',
        PG2DDB_RECONCILE_SCHEDULE: 'false',
        PG2DDB_RECONCILE_ENDPOINT: 'true',
        PG2DDB_RECONCILER_TOKEN: TOKEN,
        PG2DDB_REPAIR_TOKEN: REPAIR_TOKEN,
      },
      logFile(),
    );
    await reconciler.ready();
  });

  afterAll(async () => {
    await reconciler?.stop();
    await pipeline?.stop();
  });

  const url = () => `http://127.0.0.1:${reconciler.httpPort}`;
  const post = (body: unknown, token?: string) =>
    fetch(`${url()}/reconcile`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  it('refuses runs without the bearer token', async () => {
    expect((await post({ mode: 'count' })).status).toBe(401);
    expect((await post({ mode: 'count' }, `${TOKEN}x`)).status).toBe(401);
    expect((await post({ mode: 'everything' }, TOKEN)).status).toBe(400);
  });

  it('runs a full compare on demand, reports drift in its answer, metrics and history', async () => {
    const victim = (await pipeline.items())[0]!;
    await pipeline.dynamo.send(new DeleteItemCommand({ TableName: pipeline.names.table, Key: toSdkItem(keyOf(victim)) }));
    const response = await post({ mode: 'full', entities: ['Payment'] }, TOKEN);
    expect(response.status).toBe(200);
    const report = (await response.json()) as ReconcileReport;
    expect(report.entities[0]!.summary.counts).toMatchObject({ checked: 25, matched: 24, missing: 1, unexpected: 0, mismatch: 0, inFlight: 0 });
    expect(report.entities[0]!.drift).toEqual([expect.objectContaining({ kind: 'missing', key: keyOf(victim) })]);

    const metrics = await (await fetch(`${url()}/metrics`)).text();
    expect(metrics).toMatch(/^pg2ddb_reconciler_drift_items_total\{entity="Payment",kind="missing"\} 1$/m);
    expect(metrics).toMatch(/^pg2ddb_reconciler_consistency_ratio\{entity="Payment",mode="full"\} 0\.96$/m);
    expect(metrics).toMatch(/^pg2ddb_reconciler_last_run_duration_seconds\{entity="Payment",mode="full"\} \d/m);

    const [run] = await latestReconciliationRuns(pipeline.pg, pipeline.names.prefix);
    expect(run).toMatchObject({ runId: report.runId, entity: 'Payment', mode: 'full', status: 'succeeded', checked: 25, matched: 24, missing: 1, consistencyRate: 0.96 });

    // Repair on demand (a permission of its own: the admin token is refused it), then a clean run.
    expect((await post({ mode: 'full', repair: true }, TOKEN)).status).toBe(403);
    const repaired = (await (await post({ mode: 'full', repair: true }, REPAIR_TOKEN)).json()) as ReconcileReport;
    expect(repaired.entities[0]!.repair).toMatchObject({ put: 1, deleted: 0 });
    await eventually(async () => expect(await pipeline.item(keyOf(victim))).toBeDefined());
    const clean = (await (await post({ mode: 'sample', sampleSize: 25 }, TOKEN)).json()) as ReconcileReport;
    expect(clean.entities[0]!.summary).toMatchObject({ mode: 'sample', consistencyRate: 1, counts: { checked: 25, matched: 25 } });
  });

  it('runs from the cli in-process: the verdict, and exit 1 with the drift when there is some', async () => {
    const env = { ...(pipeline.env as Record<string, string>), PG2DDB_TOPIC_PREFIX: pipeline.names.prefix };
    const clean = await runCliAsync(['reconcile', 'Payment', '--mapping', pipeline.mappingFile, '--mode', 'full'], env);
    expect(clean.stderr).not.toContain('pg2ddb reconcile:');
    expect(clean.status).toBe(0);
    expect(clean.stdout).toContain('rows and items match: 25 of 25 consistent');
    expect(clean.stdout).toContain('consistency rate 100.00%');
    expect(clean.stdout).toContain('drift: missing 0, unexpected 0, mismatch 0, in flight 0');

    const victim = (await pipeline.items())[3]!;
    await pipeline.dynamo.send(new DeleteItemCommand({ TableName: pipeline.names.table, Key: toSdkItem(keyOf(victim)) }));
    const drifted = await runCliAsync(['reconcile', 'Payment', '--mapping', pipeline.mappingFile, '--mode', 'sample', '--sample', '25', '--json'], env);
    expect(drifted.status).toBe(1);
    const report = JSON.parse(drifted.stdout) as ReconcileReport & { ok: boolean };
    expect(report.ok).toBe(false);
    expect(report.entities[0]!.summary.counts).toMatchObject({ checked: 25, missing: 1 });
    expect(report.entities[0]!.drift[0]).toMatchObject({ kind: 'missing', key: keyOf(victim) });

    const count = await runCliAsync(['reconcile', 'Payment', '--mapping', pipeline.mappingFile, '--mode', 'count'], env);
    expect(count.status).toBe(1);
    expect(count.stdout).toContain('counts DIFFER: 25 checked, 1 missing, 0 extra items');
  });

  it('migrates the shared pg2ddb schema safely from many processes at once', async () => {
    // The service migrated at boot; more concurrent callers find nothing left to do, no error.
    const results = await Promise.all(Array.from({ length: 4 }, () => migratePg2ddbSchema(pipeline.pg, pgConnection(pipeline.env))));
    expect(results).toEqual([[], [], [], []]);
    // Other deployments' runs (other prefixes) never show up in this one's latest runs.
    expect((await latestReconciliationRuns(pipeline.pg, pipeline.names.prefix)).every((run) => run.topicPrefix === pipeline.names.prefix)).toBe(true);
    expect(await latestReconciliationRuns(pipeline.pg, `${pipeline.names.prefix}-none`)).toEqual([]);
  });

  it('never writes the token to its log', () => {
    const log = readFileSync(logFile(), 'utf8');
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toContain(TOKEN);
    expect(log).not.toContain(REPAIR_TOKEN);
  });
});
