import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConnectClient, connectorName } from '@pg2ddb/kafka';
import { runConnectorAction } from '@pg2ddb/ops';
import { repoRoot, startServiceProcess, type ServiceProcess } from '@pg2ddb/service';
import { eventually, TestPipeline } from '@pg2ddb/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import { runCli } from './cli-support';
import { ORDERS_BY_REGION_MAPPING, ordersTableSql } from './orders-by-region';

// The status page in a real headless browser (Debian's chromium driven by playwright-core) against
// the real stack: the status service reads the test's own pipeline while rows stream through it.
const root = repoRoot();
const TOKEN = 'status-page-e2e-admin-token';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const mapping = ORDERS_BY_REGION_MAPPING;

describe('the status page in a headless browser', () => {
  let pipeline: TestPipeline;
  let status: ServiceProcess;
  let browser: Browser;
  let page: Page;
  let nextId = 1000;

  const insert = (count: number) => {
    const from = nextId;
    nextId += count;
    return pipeline.query(`INSERT INTO orders SELECT i, 'EU', i FROM generate_series($1::int, $2::int) i`, [from, from + count - 1]);
  };
  const points = async (id: string) => Number(await page.getAttribute(`#${id}`, 'data-points'));

  beforeAll(async () => {
    const chromiumReady = spawnSync('bash', [join(root, 'infra/scripts/ensure-apt-tools.sh'), 'chromium'], { stdio: 'inherit' });
    if (chromiumReady.status !== 0) throw new Error('infra/scripts/ensure-apt-tools.sh chromium failed; see above');
    pipeline = await TestPipeline.start({
      mapping,
      schemaSql: ordersTableSql(`SELECT i, 'EU', i FROM generate_series(1, 200) i`),
    });
    status = await startServiceProcess(
      'status',
      {
        ...pipeline.env,
        PG2DDB_MAPPING_FILE: pipeline.mappingFile,
        PG2DDB_TOPIC_PREFIX: pipeline.names.prefix,
        PG2DDB_LOG_FORMAT: 'json',
        PG2DDB_STATUS_ADMIN_TOKEN: TOKEN,
        PG2DDB_STATUS_SAMPLE_SECONDS: '1',
        PG2DDB_STATUS_WRITER_METRICS_URLS: `${pipeline.serviceUrl('writer')}/metrics`,
      },
      join(pipeline.workDir, 'status.log'),
    );
    await status.ready();
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 1500 } });
    await page.goto(`http://127.0.0.1:${status.httpPort}/?refresh=1000`);
  }, 240000);

  afterAll(async () => {
    await browser?.close();
    await status?.stop();
    await pipeline?.stop();
  });

  it('loads against the real stack: connector RUNNING and the entity loaded, rows = items', async () => {
    await eventually(async () => expect(await page.textContent('#connector-state')).toBe('RUNNING'), { timeoutMs: 60000 });
    expect(await page.textContent('#connector-name')).toBe(connectorName(pipeline.names.prefix));
    await eventually(async () => expect(await page.textContent('#entities tr[data-entity="Order"] .counts')).toBe('200 / 200'), { timeoutMs: 90000 });
    expect(await page.textContent('#entities tr[data-entity="Order"] .eta')).toBe('done');
    expect(await page.textContent('#slot')).toMatch(/^slot pg2ddb_\w+: active, WAL retained \d/);
  }, 120000);

  it('plots lag and throughput that update while changes stream', async () => {
    const before = { lag: await points('plot-lag'), throughput: await points('plot-throughput') };
    for (let round = 0; round < 12; round++) {
      await insert(25);
      await new Promise((resolve) => setTimeout(resolve, 700));
    }
    await eventually(async () => expect(await page.textContent('#entities tr[data-entity="Order"] .counts')).toBe('500 / 500'), { timeoutMs: 90000 });
    const after = { lag: await points('plot-lag'), throughput: await points('plot-throughput') };
    expect(after.throughput).toBeGreaterThan(before.throughput + 3);
    expect(after.lag).toBeGreaterThan(before.lag);
    // The lines hold real values: throughput above zero somewhere, a lag label in milliseconds.
    const view = (await (await fetch(`http://127.0.0.1:${status.httpPort}/api/status`)).json()) as { series: { throughput: Array<{ value: number }>; lagMs: Array<{ value: number }> } };
    expect(Math.max(...view.series.throughput.map((point) => point.value))).toBeGreaterThan(0);
    expect(view.series.lagMs.length).toBe(after.lag);
    expect(Math.min(...view.series.lagMs.map((point) => point.value))).toBeGreaterThan(0);
    expect(await page.locator('#plot-lag polyline').getAttribute('points')).toMatch(/^[\d.]+,[\d.]+( [\d.]+,[\d.]+)+$/);
  }, 150000);

  it('shows a paused connector as PAUSED and resumes it from the button, with the admin token only', async () => {
    const name = connectorName(pipeline.names.prefix);
    await runConnectorAction(pipeline.connectUrl, name, 'pause');
    await eventually(async () => expect(await page.textContent('#connector-state')).toBe('PAUSED'), { timeoutMs: 30000 });
    expect(await page.textContent('#connector-tasks')).toBe('tasks: PAUSED');

    await page.fill('#token', 'not-the-admin-token');
    await page.click('button[data-action="resume"]');
    await eventually(async () => expect(await page.textContent('#message')).toMatch(/resume connector failed: a valid admin token is required/), { timeoutMs: 30000 });
    expect((await new ConnectClient(pipeline.connectUrl).status(name))?.connector.state).toBe('PAUSED');

    await page.fill('#token', TOKEN);
    await page.click('button[data-action="resume"]');
    await eventually(async () => expect(await page.textContent('#connector-state')).toBe('RUNNING'), { timeoutMs: 60000 });
    expect(await page.textContent('#message')).toBe('resume connector: done (RUNNING)');
    const connect = await new ConnectClient(pipeline.connectUrl).status(name);
    expect(connect?.connector.state).toBe('RUNNING');
    expect(connect?.tasks.map((task) => task.state)).toEqual(['RUNNING']);
  }, 120000);

  it('shows a dead letter by stage and code, and replays it from the button after the fix', async () => {
    // A row the mapping cannot key (its key column is NULL): the transformer dead-letters it.
    await pipeline.query(`INSERT INTO orders VALUES (9000, NULL, 20)`);
    await eventually(async () => expect(await page.getAttribute('#dlq-pending', 'data-pending')).toBe('1'), { timeoutMs: 60000 });
    expect(await page.textContent('#dlq-summary tbody')).toBe('transformerMAPPING_EMPTY_KEY11');
    const row = page.locator('#dlq-list tbody tr').first();
    expect(await row.getAttribute('data-replayed')).toBe('false');
    expect(await row.locator('td').nth(6).textContent()).toMatch(/region/);

    // The operator's fix: a key without the column, then the transformer restarted with it.
    const definition = JSON.parse(readFileSync(pipeline.mappingFile, 'utf8')) as { entities: Array<{ key: { pk: string } }> };
    (definition.entities[0] as { key: { pk: string } }).key.pk = 'ORDER#{id}';
    writeFileSync(pipeline.mappingFile, JSON.stringify(definition, null, 2));
    await pipeline.restartService('transformer');

    await page.click('#dlq-replay');
    await eventually(async () => expect(await page.textContent('#message')).toBe('replay dead letters: done (1 re-submitted, 0 skipped)'), { timeoutMs: 60000 });
    await eventually(async () => expect(await page.getAttribute('#dlq-pending', 'data-pending')).toBe('0'), { timeoutMs: 30000 });
    expect(await page.locator('#dlq-list tbody tr').first().getAttribute('data-replayed')).toBe('true');
    await eventually(async () => expect(await pipeline.item({ PK: { S: 'ORDER#9000' }, SK: { S: 'ORDER#9000' } })).toMatchObject({ total: { N: '20' } }), { timeoutMs: 60000 });
  }, 180000);

  it('shows reconciliation runs with their findings, and leaves a screenshot for the README', async () => {
    const reconcile = runCli(['reconcile', 'Order', '--mapping', pipeline.mappingFile, '--mode', 'count', '--no-publish'], { PG2DDB_TOPIC_PREFIX: pipeline.names.prefix });
    expect([0, 1]).toContain(reconcile.status);
    // The page samples the pipeline every few seconds: a sample taken while the run was still going
    // shows it running until the next one.
    await eventually(
      async () => {
        expect(await page.locator('#runs-table tbody tr').count()).toBeGreaterThan(0);
        const cells = await page.locator('#runs-table tbody tr').first().locator('td').allTextContents();
        expect(cells.slice(1, 4)).toEqual(['Order', 'count', 'succeeded']);
      },
      { timeoutMs: 30000 },
    );
    expect(Number(await page.getAttribute('#runs-plot', 'data-points'))).toBeGreaterThanOrEqual(1);
    // A few more changes so the plots carry a recent stretch in the picture.
    for (let round = 0; round < 4; round++) {
      await insert(20);
      await new Promise((resolve) => setTimeout(resolve, 800));
    }
    await page.waitForTimeout(2500);
    await page.screenshot({ path: join(root, 'docs/images/status-page.png'), fullPage: true });
  }, 180000);
});
