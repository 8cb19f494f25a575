import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectorName, defaultSlotName } from '@pg2ddb/kafka';
import { repoRoot } from '@pg2ddb/service';
import { eventually, TestPipeline, testTempDir } from '@pg2ddb/testing';
import { parse, stringify } from 'yaml';

// WAL safety on the real stack: the reconciler's /metrics reports the connector's slot. With the
// connector stopped, writes to the source make the slot's retained WAL grow while nothing reads
// it, and the alert rules of infra/alerts (evaluated by promtool on the scraped values) fire.
// Resumed, the connector confirms past those writes although none is to a captured table: the
// heartbeat action query gives it a change to confirm.
const examples = join(__dirname, '../../../examples/payments');
const RULES = join(__dirname, '../../../infra/alerts/pg2ddb.rules.yaml');

type Sample = { labels: Record<string, string>; value: number };

/** Parses the Prometheus text format into samples of the named metrics. */
function samples(text: string, name: string): Sample[] {
  const found: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!;
    found.push({ labels, value: Number(match[3]) });
  }
  return found;
}

const selector = (name: string, labels: Record<string, string>) => `${name}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',')}}`;

describe('replication slot safety', () => {
  let pipeline: TestPipeline;
  let connectUrl: string;

  beforeAll(async () => {
    pipeline = await TestPipeline.start({
      mapping: readFileSync(join(examples, 'mapping.yaml'), 'utf8'),
      schemaSql: `${readFileSync(join(examples, 'schema.sql'), 'utf8')}\n${readFileSync(join(examples, 'seed.sql'), 'utf8').replaceAll('{{rows}}', '5')}
        CREATE TABLE ballast (id bigint PRIMARY KEY, pad text NOT NULL);`,
      services: ['reconciler'],
      serviceEnv: { reconciler: { PG2DDB_RECONCILE_SCHEDULE: 'false' } },
    });
    connectUrl = pipeline.env.PG2DDB_CONNECT_URL!;
  }, 600000);

  afterAll(async () => {
    await pipeline?.stop();
  });

  const scrape = async () => (await fetch(`${pipeline.serviceUrl('reconciler')}/metrics`)).text();
  const slotSample = (text: string, name: string) => samples(text, name).find((s) => s.labels.slot === defaultSlotName(pipeline.names.prefix));

  it('sees the retained WAL grow while the connector is stopped, fires the rules, and recovers on resume', async () => {
    const slot = defaultSlotName(pipeline.names.prefix);
    const connector = connectorName(pipeline.names.prefix);
    const before = await eventually(
      async () => {
        const text = await scrape();
        expect(slotSample(text, 'pg2ddb_replication_slot_active')?.value).toBe(1);
        expect(samples(text, 'pg2ddb_connector_state').filter((s) => s.labels.connector === connector)).toEqual([
          { labels: { connector, task: 'connector', state: 'RUNNING' }, value: 1 },
          { labels: { connector, task: '0', state: 'RUNNING' }, value: 1 },
        ]);
        return text;
      },
      { timeoutMs: 60000, intervalMs: 1000 },
    );
    expect(slotSample(before, 'pg2ddb_replication_slot_retained_wal_bytes')!.value).toBeGreaterThanOrEqual(0);

    // Stop the connector: its task shuts down and releases the slot, which keeps its position.
    expect((await fetch(`${connectUrl}/connectors/${connector}/stop`, { method: 'PUT' })).status).toBe(204);
    const stopped = await eventually(
      async () => {
        const text = await scrape();
        expect(slotSample(text, 'pg2ddb_replication_slot_active')?.value).toBe(0);
        expect(samples(text, 'pg2ddb_connector_state').filter((s) => s.labels.connector === connector && s.labels.task === 'connector')).toEqual([
          { labels: { connector, task: 'connector', state: 'STOPPED' }, value: 1 },
        ]);
        return text;
      },
      { timeoutMs: 60000, intervalMs: 1000 },
    );
    const retainedBefore = slotSample(stopped, 'pg2ddb_replication_slot_retained_wal_bytes')!.value;

    // Write to the source (a table the connector does not capture: the busy rest of a database).
    const [{ lsn }] = (await pipeline.query(`SELECT pg_current_wal_lsn()::text AS lsn`)) as Array<{ lsn: string }>;
    await pipeline.query(`INSERT INTO ballast SELECT g, repeat(md5(g::text), 8) FROM generate_series(1, 20000) g`);
    const [{ bytes }] = (await pipeline.query(`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::bigint::text AS bytes`, [lsn])) as Array<{ bytes: string }>;
    expect(Number(bytes)).toBeGreaterThan(4_000_000);

    const after = await scrape();
    expect(slotSample(after, 'pg2ddb_replication_slot_active')?.value).toBe(0);
    const retainedAfter = slotSample(after, 'pg2ddb_replication_slot_retained_wal_bytes')!;
    expect(retainedAfter.value - retainedBefore).toBeGreaterThanOrEqual(Number(bytes));
    expect(slotSample(after, 'pg2ddb_replication_slot_confirmed_flush_lag_bytes')!.value).toBeGreaterThanOrEqual(Number(bytes));

    // The rules, evaluated by promtool on the scraped values: the running scrape, then the one
    // after the writes held from 1m on (the connector stays stopped). The WAL threshold is scaled from 5 GiB to the
    // test's volume (halfway between the two scrapes); everything else is the shipped rule file.
    const threshold = Math.round(retainedBefore + (retainedAfter.value - retainedBefore) / 2);
    const rules = parse(readFileSync(RULES, 'utf8')) as { groups: Array<{ rules: Array<{ alert?: string; expr: string }> }> };
    const walRule = rules.groups.flatMap((g) => g.rules).find((r) => r.alert === 'Pg2ddbReplicationSlotWalRetainedHigh')!;
    expect(walRule.expr).toContain('> 5368709120');
    walRule.expr = walRule.expr.replace('> 5368709120', `> ${threshold}`);
    const dir = testTempDir('wal-rules');
    writeFileSync(join(dir, 'rules.yaml'), stringify(rules));
    const slotLabels = { slot, slot_type: 'logical', instance: 'reconciler' };
    const held = (first: number, second: number) => `${first} ${second}x20`;
    const activeSeries = selector('pg2ddb_replication_slot_active', slotLabels);
    const test = {
      rule_files: ['rules.yaml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            { series: selector('pg2ddb_replication_slot_retained_wal_bytes', slotLabels), values: held(retainedBefore, retainedAfter.value) },
            { series: activeSeries, values: held(1, 0) },
            { series: selector('pg2ddb_connector_state', { connector, task: 'connector', state: 'RUNNING', instance: 'reconciler' }), values: '1 _x20' },
            { series: selector('pg2ddb_connector_state', { connector, task: 'connector', state: 'STOPPED', instance: 'reconciler' }), values: '_ 1x20' },
          ],
          promql_expr_test: [
            { expr: walRule.expr, eval_time: '0m', exp_samples: [] },
            { expr: walRule.expr, eval_time: '2m', exp_samples: [{ labels: `{slot="${slot}"}`, value: retainedAfter.value }] },
          ],
          alert_rule_test: [
            { eval_time: '0m', alertname: 'Pg2ddbReplicationSlotInactive', exp_alerts: [] },
            {
              eval_time: '12m',
              alertname: 'Pg2ddbReplicationSlotInactive',
              exp_alerts: [
                {
                  exp_labels: { severity: 'warning', slot },
                  exp_annotations: {
                    summary: `Replication slot ${slot} has been inactive for 10 minutes`,
                    description: 'An inactive slot keeps WAL forever (unless max_slot_wal_keep_size invalidates it, which forces a re-sync).',
                  },
                },
              ],
            },
            { eval_time: '0m', alertname: 'Pg2ddbConnectorNotRunning', exp_alerts: [] },
            {
              eval_time: '4m',
              alertname: 'Pg2ddbConnectorNotRunning',
              exp_alerts: [
                {
                  exp_labels: { severity: 'critical', connector, task: 'connector', state: 'STOPPED' },
                  exp_annotations: {
                    summary: `Connector ${connector} connector is STOPPED`,
                    description:
                      "No change leaves PostgreSQL while it is not RUNNING, and its replication slot keeps WAL. `pg2ddb connector status` shows the task's trace; `pg2ddb connector resume|restart`.",
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    writeFileSync(join(dir, 'rules.test.yaml'), stringify(test));
    const promtool = spawnSync('bash', [join(repoRoot(), 'infra/scripts/prom-tools.sh'), 'path', 'promtool'], { encoding: 'utf8' }).stdout.trim();
    const run = spawnSync(promtool, ['test', 'rules', 'rules.test.yaml'], { cwd: dir, encoding: 'utf8' });
    expect(`${run.stdout}${run.stderr}`).toContain('SUCCESS');
    expect(run.status).toBe(0);

    // Resumed, the connector confirms past the ballast (a table it does not capture): the
    // heartbeat action query writes a captured row every heartbeat, which it confirms.
    expect((await fetch(`${connectUrl}/connectors/${connector}/resume`, { method: 'PUT' })).status).toBe(202);
    await eventually(
      async () => {
        const text = await scrape();
        expect(slotSample(text, 'pg2ddb_replication_slot_active')?.value).toBe(1);
        expect(slotSample(text, 'pg2ddb_replication_slot_confirmed_flush_lag_bytes')!.value).toBeLessThan(Number(bytes));
      },
      { timeoutMs: 90000, intervalMs: 2000 },
    );
    const beats = (await pipeline.query(`SELECT count(*)::int AS n FROM ${`pg2ddb_heartbeat_${pipeline.names.prefix}`}`)) as Array<{ n: number }>;
    expect(beats).toEqual([{ n: 1 }]);
  }, 300000);
});
