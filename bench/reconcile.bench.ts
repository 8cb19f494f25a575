/**
 * Full-compare speed of the reconciler on the payments example: N rows generated with
 * examples/payments/seed.sql go through the real pipeline (Debezium → Kafka → transformer →
 * writer → the DynamoDB emulator) until every item is written; then the reconciler library's full
 * compare (`runReconciliation`, mode full: rows → items with keyset pages + BatchGetItem, items →
 * rows with a parallel Scan + primary-key look-ups) is timed, publishing nothing.
 *
 *   node -r @swc-node/register bench/reconcile.bench.ts [--rows 50000] [--runs 3] [--page-size 1000]
 *        [--segments 8] [--concurrency 4] [--profile true|false] [--out bench/results/reconcile.json]
 *
 * The figure is rows/s = rows in the table / wall-clock seconds of one full compare (median of the
 * runs); the phase split and one extra run under the V8 CPU profiler (--profile, on by default;
 * not counted in the figure) say where the time goes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { countItems } from '@pg2ddb/dynamo';
import { createKafka } from '@pg2ddb/kafka';
import { runReconciliation } from '@pg2ddb/reconcile';
import { TestPipeline } from '@pg2ddb/testing';
import { parseFlags } from './support/bench-args';
import { summarizeCpuProfile } from './support/cpu-profile-summary';
import { profileWhile } from './support/in-process-profile';
import { useLocalStack } from './support/local-stack-env';
import { machineInfo } from './support/machine-info';
import { writeResults } from './support/results-file';

const HELP = 'usage: node -r @swc-node/register bench/reconcile.bench.ts [--rows N] [--runs N] [--page-size N] [--segments N] [--concurrency N] [--profile true|false] [--out FILE]';
const root = join(__dirname, '..');

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2), { rows: 50000, runs: 3, 'page-size': 1000, segments: 8, concurrency: 4, out: join(root, 'bench/results/reconcile.json'), 'load-timeout-s': 900, profile: true }, HELP);
  const env = useLocalStack();
  const read = (path: string) => readFileSync(join(root, path), 'utf8');
  const log = (line: string) => process.stderr.write(`[reconcile bench] ${line}\n`);
  const schemaSql = `${read('examples/payments/schema.sql')}\n${read('examples/payments/seed.sql').replaceAll('{{rows}}', String(flags.rows))}`;
  log(`loading ${flags.rows} rows through the pipeline…`);
  const loadStarted = Date.now();
  const pipeline = await TestPipeline.start({ mapping: read('examples/payments/mapping.yaml'), schemaSql });
  const kafka = createKafka({ brokers: (env.PG2DDB_KAFKA_BROKERS ?? '').split(','), clientId: 'pg2ddb-bench-reconcile' });
  const producer = kafka.producer();
  try {
    const entity = pipeline.mapping.entities[0]!;
    const filter = { attribute: entity.entityType.attribute, value: entity.entityType.value };
    for (;;) {
      const items = await countItems(pipeline.dynamo, pipeline.names.table, filter);
      if (items >= flags.rows) break;
      if (Date.now() - loadStarted > flags['load-timeout-s'] * 1000) throw new Error(`only ${items} of ${flags.rows} items after ${flags['load-timeout-s']} s`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    log(`in sync after ${((Date.now() - loadStarted) / 1000).toFixed(1)} s; timing ${flags.runs} full compares`);
    await producer.connect();
    const runs = [];
    for (let run = 0; run < flags.runs; run++) {
      const marks: Record<string, number> = {};
      const started = process.hrtime.bigint();
      const cpuBefore = process.cpuUsage();
      const report = await runReconciliation(
        { pg: pipeline.pg, dynamo: pipeline.dynamo, kafka, producer, mapping: pipeline.mapping, topicPrefix: pipeline.names.prefix, history: false },
        {
          mode: 'full',
          publish: false,
          pageSize: flags['page-size'],
          scanSegments: flags.segments,
          concurrency: flags.concurrency,
          onProgress: (p) => {
            marks[p.phase] = Number(process.hrtime.bigint() - started) / 1e9;
          },
        },
      );
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const cpu = process.cpuUsage(cpuBefore);
      const counts = report.entities[0]!.summary.counts;
      const itemsPhase = marks.items ?? 0;
      runs.push({
        seconds: round(seconds),
        rowsPerSecond: Math.round(flags.rows / seconds),
        phases: {
          itemsToRowsSeconds: round(itemsPhase),
          rowsToItemsSeconds: marks.rows === undefined ? 0 : round(marks.rows - itemsPhase),
          otherSeconds: round(seconds - Math.max(itemsPhase, marks.rows ?? 0)),
          note: 'items → rows: parallel Scan of the entity, rows read by primary key, mapRow, diff; rows → items (only when the counts disagree): keyset pages, BatchGetItem; other: row counts, set-up',
        },
        reconcilerCpuSeconds: round((cpu.user + cpu.system) / 1e6),
        counts,
      });
      log(`run ${run + 1}: ${seconds.toFixed(2)} s, ${Math.round(flags.rows / seconds)} rows/s, counts ${JSON.stringify(counts)}`);
    }
    let profile;
    if (flags.profile) {
      // One more run under the profiler (its overhead keeps it out of the figure): where this
      // process spends its CPU. The emulator's own CPU (another process) shows as idle here.
      const file = join(root, 'tmp', `reconcile-bench-${Date.now()}.cpuprofile`);
      const started = process.hrtime.bigint();
      await profileWhile(file, () =>
        runReconciliation(
          { pg: pipeline.pg, dynamo: pipeline.dynamo, kafka, producer, mapping: pipeline.mapping, topicPrefix: pipeline.names.prefix, history: false },
          { mode: 'full', publish: false, pageSize: flags['page-size'], scanSegments: flags.segments, concurrency: flags.concurrency },
        ),
      );
      const { byArea, topFunctions, busySeconds } = summarizeCpuProfile(file, root);
      profile = { wallSeconds: round(Number(process.hrtime.bigint() - started) / 1e9), busySeconds, byArea: byArea.slice(0, 10), topFunctions: topFunctions.slice(0, 10) };
      log(`profiled run: ${JSON.stringify(byArea.slice(0, 6))}`);
    }
    const sorted = [...runs].sort((a, b) => a.rowsPerSecond - b.rowsPerSecond);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    writeResults(flags.out, {
      benchmark: 'reconcile',
      what: 'full compare (both directions) of the payments example with @pg2ddb/reconcile runReconciliation, after the pipeline is in sync; publish off, history off',
      units: { rowsPerSecond: 'rows/s (table rows / wall-clock seconds of one full compare)', seconds: 's', reconcilerCpuSeconds: 'CPU s of the benchmark process (user + system)' },
      target: { rowsPerSecond: 10000 },
      settings: { rows: flags.rows, pageSize: flags['page-size'], scanSegments: flags.segments, batchGetConcurrency: flags.concurrency },
      machine: machineInfo(),
      figure: { rowsPerSecond: median.rowsPerSecond, seconds: median.seconds, of: `median of ${runs.length} runs` },
      runs,
      ...(profile ? { profile } : {}),
    });
    log(`figure: ${median.rowsPerSecond} rows/s (target 10000) → ${flags.out}`);
  } finally {
    await producer.disconnect().catch(() => undefined);
    await pipeline.stop();
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

main().catch((error: unknown) => {
  process.stderr.write(`reconcile bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
