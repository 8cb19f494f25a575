/** The suite's results document and its short markdown table (bench/results/latest.md). */
import type { ProfileSummary } from './cpu-profile-summary';
import type { BatchWritePoint } from './dynamo-ceiling';
import type { MachineInfo } from './machine-info';
import type { PgReadPoint } from './pg-read-ceiling';
import type { CpuUse } from './process-cpu';
import type { MemoryPeak } from './process-memory';
import type { ReconcilerAtSize } from './reconciler-figure';

/** The compare does a Postgres read, the mapping and a diff per row on top of the Scan: half the raw rate or better. */
const RECONCILER_RATIO_TARGET = 0.5;
import type { SeedBaselineResult } from './seed-baseline';
import type { Versions } from './stack-versions';
import type { StreamingResult } from './streaming-lag';

interface PhaseFigures {
  count?: number;
  seconds: number;
  rowsPerSecond: number;
  stageDoneSeconds: Record<string, number | null>;
  cpuCores: CpuUse;
}

export interface SuiteResults {
  benchmark: 'suite';
  what: string;
  measuredAt: string;
  units: Record<string, string>;
  machine: MachineInfo & { cores: number; loadAverageAtEnd: number };
  versions: Versions;
  config: Record<string, unknown>;
  phaseSeconds: Record<string, number>;
  phaseLoadAverage1m: Record<string, number>;
  generate: { rows: number; seconds: number; rowsPerSecond: number; method: string };
  ceilings: {
    postgresRead: PgReadPoint;
    dynamoBatchWrite: { levels: BatchWritePoint[]; levelsAgain: BatchWritePoint[]; best: BatchWritePoint | null; itemsPerLevel: number; note: string };
  };
  seedBaseline: SeedBaselineResult;
  initialLoad: PhaseFigures & {
    servicesReadySeconds: number;
    rowsPerSecondAfterServicesReady: number;
    writerSteadyRowsPerSecond: number | null;
    itemsCounted: number;
    ratioToDynamoCeiling: number | null;
    ratioToSeedBaseline: number;
  };
  streaming: StreamingResult & { pipeline: PhaseFigures };
  reconciler: ReconcilerAtSize & { cpuCores?: CpuUse };
  mapping: {
    unit: string;
    runs: number;
    paymentsReadPerCore: number;
    paymentsReadPerCpuSecond: number;
    note: string;
    lowest: { case: string; eventsPerSecond: number };
    cases: Array<{ case: string; eventsPerSecond: number; eventsPerCpuSecond: number; microsecondsPerEvent: number; breakdownMicrosecondsPerEvent?: Record<string, number> }>;
    peakRssMiB: number;
    profile?: ProfileSummary;
  };
  memory: { peaks: Record<string, MemoryPeak>; benchProcessPeakRssMiB: number; unit: string; note: string };
  profiles: Record<string, ProfileSummary>;
  /** Filled by `withTargets`. */
  targets?: TargetCheck[];
}

/** One of issue 7's targets, the measured figure and, when missed, where the time goes. */
export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean | null;
  whereTheTimeGoes?: string;
}

const SERVICES = ['transformer', 'writer'];

/** Checks the measured figures against issue 7's targets. */
export function targetChecks(results: SuiteResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const load = results.initialLoad;
  const ratio = load.ratioToDynamoCeiling;
  checks.push({
    target: 'initial load ≥ 0.7 of the DynamoDB ceiling',
    measured: ratio === null ? 'no ceiling measured' : `${ratio} (${fmt(load.rowsPerSecond)} of ${fmt(results.ceilings.dynamoBatchWrite.best?.itemsPerSecond ?? 0)} items/s)`,
    met: ratio === null ? null : ratio >= 0.7,
    ...(ratio !== null && ratio < 0.7 ? { whereTheTimeGoes: loadWhere(results) } : {}),
  });
  const lag = results.streaming.latencyMs;
  const rateHeld = results.streaming.achievedChangesPerSecond >= 0.95 * results.streaming.scheduledRate;
  const lagMet = lag !== null && lag.p99 < 500 && rateHeld && results.streaming.probes.unresolved === 0;
  checks.push({
    target: `lag p99 < 500 ms at ${fmt(results.streaming.scheduledRate)} changes/s`,
    measured: lag === null ? 'no probe seen' : `p99 ${lag.p99} ms at ${fmt(results.streaming.achievedChangesPerSecond)} changes/s achieved${results.streaming.probes.unresolved ? `, ${results.streaming.probes.unresolved} probes never seen` : ''}`,
    met: lagMet,
    ...(lagMet ? {} : { whereTheTimeGoes: streamingWhere(results) }),
  });
  const reconciler = results.reconciler;
  // Against the emulator an absolute rate measures the emulator's Scan (quadratic in moto); the
  // ratio to its raw parallel Scan of the same table measures what the compare itself costs.
  const reconcilerMet = reconciler.measured && reconciler.ratioToRawScan !== undefined ? reconciler.ratioToRawScan >= RECONCILER_RATIO_TARGET : null;
  const reconcilerProfile = results.profiles['reconciler-full-compare'];
  checks.push({
    target: `reconciler full compare ≥ ${RECONCILER_RATIO_TARGET} of the raw parallel Scan of the same table`,
    measured: reconciler.measured
      ? `${reconciler.ratioToRawScan ?? '—'} (${fmt(reconciler.rowsPerSecond)} rows/s vs ${fmt(reconciler.rawScan?.itemsPerSecond ?? 0)} items/s raw, ${fmt(reconciler.rows)} rows)`
      : reconciler.note,
    met: reconcilerMet,
    ...(reconcilerMet === false
      ? {
          whereTheTimeGoes: [
            reconciler.cpuCores ? `CPU cores (/proc) during the compare: ${cores(reconciler.cpuCores)}` : undefined,
            reconcilerProfile ? `compare profile (this process, self time, ${reconcilerProfile.busySeconds} s busy of ${reconcilerProfile.seconds} s): ${areas(reconcilerProfile)}` : undefined,
          ]
            .filter(Boolean)
            .join('; '),
        }
      : {}),
  });
  const mapping = results.mapping;
  const mappingMet = mapping.paymentsReadPerCpuSecond >= 50_000;
  checks.push({
    target: 'mapping ≥ 50,000 events/s per core',
    measured: `${fmt(mapping.paymentsReadPerCpuSecond)} events per CPU-second of one thread (payments snapshot read; wall-clock ${fmt(mapping.paymentsReadPerCore)}/s); lowest case ${mapping.lowest.case} ${fmt(mapping.lowest.eventsPerSecond)}/s wall-clock`,
    met: mappingMet,
    ...(mappingMet || !mapping.profile ? {} : { whereTheTimeGoes: `mapping profile (self time): ${areas(mapping.profile)}; payments read µs/event: ${JSON.stringify(mapping.cases.find((entry) => entry.case === 'payments.payments.r')?.breakdownMicrosecondsPerEvent ?? {})}` }),
  });
  for (const service of SERVICES) {
    const peak = results.memory.peaks[service];
    const mib = peak ? Math.max(peak.peakRssMiB, peak.rootsVmHwmMiB ?? 0) : null;
    checks.push({ target: `${service} peak RSS < 300 MB`, measured: mib === null ? 'not sampled' : `${mib} MiB (VmHWM ${peak?.rootsVmHwmMiB} MiB)`, met: mib === null ? null : mib * 1.048576 < 300 });
  }
  return checks;
}

function loadWhere(results: SuiteResults): string {
  const load = results.initialLoad;
  const stages = load.stageDoneSeconds;
  const parts = [
    `stages done after (s, from registration): Debezium in Kafka ${stages.debeziumInKafka}, transformer ${stages.transformer}, writer ${stages.writer} of ${load.seconds}`,
    `CPU cores (/proc): ${cores(load.cpuCores)}`,
  ];
  for (const service of SERVICES) {
    const profile = results.profiles[`${service}-initial-load`];
    if (profile) parts.push(`${service} profile (self time, ${profile.busySeconds} s busy of ${profile.seconds} s): ${areas(profile)}`);
  }
  return parts.join('; ');
}

function streamingWhere(results: SuiteResults): string {
  const streaming = results.streaming;
  const parts = [
    `achieved ${fmt(streaming.achievedChangesPerSecond)} of ${fmt(streaming.scheduledRate)} changes/s (max ${fmt(streaming.maxBehindScheduleMs)} ms behind schedule; statement p99 ${streaming.statementMs.p99} ms)`,
    `by kind p50/p99 ms: ${Object.entries(streaming.latencyByOpMs).map(([op, figure]) => `${op} ${figure?.p50}/${figure?.p99}`).join(', ')}`,
    `all ${fmt(streaming.pipeline.count ?? 0)} changes done after (s, from the first change; the load lasted ${streaming.seconds} s): Debezium in Kafka ${streaming.pipeline.stageDoneSeconds.debeziumInKafka}, transformer ${streaming.pipeline.stageDoneSeconds.transformer}, writer ${streaming.pipeline.stageDoneSeconds.writer}`,
    `CPU cores (/proc): ${cores(streaming.pipeline.cpuCores)}`,
  ];
  for (const service of SERVICES) {
    const profile = results.profiles[`${service}-streaming`];
    if (profile) parts.push(`${service} profile: ${areas(profile)}`);
  }
  return parts.join('; ');
}

/** The short table: one line per figure, with its unit. */
export function suiteMarkdown(results: SuiteResults): string {
  const r = results;
  const best = r.ceilings.dynamoBatchWrite.best;
  const lag = r.streaming.latencyMs;
  const rows: Array<[string, string, string]> = [
    ['generate payments (INSERT … SELECT generate_series)', fmt(r.generate.rowsPerSecond), `rows/s (${fmt(r.generate.rows)} rows, ${r.generate.seconds} s)`],
    ['ceiling: Postgres keyset read', fmt(r.ceilings.postgresRead.rowsPerSecond), 'rows/s'],
    [
      'ceiling: DynamoDB emulator plain BatchWriteItem',
      best ? fmt(best.itemsPerSecond) : '—',
      best
        ? `items/s (best of: ${r.ceilings.dynamoBatchWrite.levels.map((point) => `${point.concurrency} loops ${fmt(point.itemsPerSecond)}`).join(', ')} before the load; ${r.ceilings.dynamoBatchWrite.levelsAgain.map((point) => `${point.concurrency} loops ${fmt(point.itemsPerSecond)}`).join(', ')} after)`
        : '',
    ],
    ["seed's approach (OFFSET/LIMIT 25, sequential)", fmt(r.seedBaseline.rowsPerSecond), `rows/s (${fmt(r.seedBaseline.measuredRows)} rows on ${r.seedBaseline.slices.length} slices; full run ≈ ${fmt(Math.round(r.seedBaseline.estimatedFullRunSeconds / 60))} min)`],
    ['initial load, connector → last item', fmt(r.initialLoad.rowsPerSecond), `rows/s (${r.initialLoad.seconds} s)`],
    ['… ratio to the DynamoDB ceiling', String(r.initialLoad.ratioToDynamoCeiling ?? '—'), '× (target ≥ 0.7)'],
    ["… ratio to the seed's approach", String(r.initialLoad.ratioToSeedBaseline), '×'],
    ['streaming changes achieved', fmt(r.streaming.achievedChangesPerSecond), `changes/s (of ${fmt(r.streaming.scheduledRate)} scheduled, ${r.streaming.seconds} s)`],
    [
      'lag commit → visible p50 / p95 / p99',
      lag ? `${lag.p50} / ${lag.p95} / ${lag.p99}` : '—',
      `ms (${fmt(r.streaming.probes.seen)} probes read back from DynamoDB, a read round every ≥${r.streaming.readLoop.pollMs} ms taking ${r.streaming.readLoop.meanRoundMs} ms on average: the upper bound is kept; target p99 < 500)`,
    ],
    ['reconciler full compare', r.reconciler.measured ? fmt(r.reconciler.rowsPerSecond) : r.reconciler.note, r.reconciler.measured ? `rows/s (${fmt(r.reconciler.rows)} rows)` : ''],
    ['… raw parallel Scan of the same table', r.reconciler.rawScan ? fmt(r.reconciler.rawScan.itemsPerSecond) : '—', 'items/s (same segments, page size and concurrency)'],
    ['… ratio of the compare to the raw Scan', String(r.reconciler.ratioToRawScan ?? '—'), `× (target ≥ ${RECONCILER_RATIO_TARGET})`],
    ['mapping (payments snapshot read), per CPU-second', fmt(r.mapping.paymentsReadPerCpuSecond), 'events per CPU-second of one thread (target ≥ 50,000 per core)'],
    ['mapping (payments snapshot read), wall-clock', fmt(r.mapping.paymentsReadPerCore), 'events/s of one thread (lower when the box is busy)'],
  ];
  for (const [name, peak] of Object.entries(r.memory.peaks)) {
    rows.push([`peak RSS ${name}`, String(Math.max(peak.peakRssMiB, SERVICES.includes(name) ? (peak.rootsVmHwmMiB ?? 0) : 0)), SERVICES.includes(name) ? 'MiB (target < 300 MB)' : 'MiB (polled during the run; shared stack process)']);
  }
  const lines = [
    `# pg2ddb benchmark — ${r.measuredAt.slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `${fmt(r.config.rows as number)} payments${r.config.quick ? ' (--quick)' : ''}; ${r.machine.nproc} × ${r.machine.cpuModel}, ${r.machine.memTotalGiB} GiB; node ${r.machine.node}; commit ${r.machine.gitCommit}; ` +
      `PostgreSQL ${r.versions.postgres}, Kafka ${r.versions.kafka}, Debezium ${r.versions.debeziumPostgres}, DynamoDB emulator ${r.versions.dynamodbEmulator}${typeof r.config.dynamo === 'string' ? ` (${r.config.dynamo})` : ''}. Total ${fmt(r.phaseSeconds.total ?? 0)} s.`,
    '',
    '| figure | value | unit |',
    '| --- | ---: | --- |',
    ...rows.map(([name, value, unit]) => `| ${name} | ${value} | ${unit} |`),
    '',
    '| target | measured | met |',
    '| --- | --- | --- |',
    ...(r.targets ?? []).map((check) => `| ${check.target} | ${check.measured} | ${check.met === null ? 'n/a' : check.met ? 'yes' : '**no**'} |`),
  ];
  const missed = (r.targets ?? []).filter((check) => check.whereTheTimeGoes);
  if (missed.length > 0) {
    lines.push('', '## Where the time goes (missed targets)', '');
    for (const check of missed) lines.push(`- **${check.target}**: ${check.whereTheTimeGoes}`);
  }
  lines.push(
    '',
    `Phase wall times (s): ${Object.entries(r.phaseSeconds).map(([name, value]) => `${name} ${value}`).join(', ')}.`,
    `Load average (1 min) at each phase's start, on ${r.machine.nproc} cores shared with other work: ${Object.entries(r.phaseLoadAverage1m).map(([name, value]) => `${name} ${value}`).join(', ')}.`,
    '',
    `Memory: ${r.memory.note}.`,
    '',
  );
  return lines.join('\n');
}

function areas(profile: ProfileSummary, count = 5): string {
  return profile.byArea
    .slice(0, count)
    .map((area) => `${area.area} ${area.pctOfBusy}%`)
    .join(', ');
}

function cores(cpu: CpuUse): string {
  return `${Object.entries(cpu.groups)
    .sort((a, b) => b[1] - a[1])
    .map(([name, value]) => `${name} ${value}`)
    .join(', ')}; machine busy ${cpu.machineBusy} of the cores`;
}

function fmt(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
