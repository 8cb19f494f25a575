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
// Issue 16's targets.
const LOAD_RATIO_TARGET = 0.8;
const IDLE_LAG_TARGET_MS = { p50: 30, p99: 80 };
const LOAD_LAG_TARGET_MS = { p50: 100, p99: 250 };
const SUSTAINED_RATE_TARGET = 3000;
const CPU_PER_CHANGE_TARGET_US = 100;
const MAPPING_TARGET_PER_CPU_SECOND = 100_000;
const RSS_TARGET_MIB = 200;
import type { SeedBaselineResult } from './seed-baseline';
import type { Versions } from './stack-versions';
import type { ProbeHops } from './probe-hops';
import type { StreamingResult } from './streaming-lag';
import type { UnguardedBaseline } from './unguarded-baseline';

interface PhaseFigures {
  count?: number;
  seconds: number;
  rowsPerSecond: number;
  stageDoneSeconds: Record<string, number | null>;
  cpuCores: CpuUse;
  /** µs of CPU per change, per process group. */
  cpuMicrosecondsPerChange?: Record<string, number>;
}

/** A streaming phase: the probes' latency, its hops, and the pipeline's progress and CPU. */
type StreamingPhase = StreamingResult & { hops?: ProbeHops; pipeline: PhaseFigures };

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
  /** Near idle (≤ 10 changes/s, every change probed). */
  streamingIdle?: StreamingPhase;
  streaming: StreamingPhase;
  /** The same events through a minimal unguarded consumer (issue 16, lever 6). */
  unguardedBaseline?: UnguardedBaseline;
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

/** One of the targets (issue 7's reconciler ratio, issue 16's table), the measured figure and, when missed, where the time goes. */
export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean | null;
  whereTheTimeGoes?: string;
}

const SERVICES = ['transformer', 'writer'];

/** Checks the measured figures against the targets (issue 16's table, issue 7's reconciler ratio). */
export function targetChecks(results: SuiteResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const load = results.initialLoad;
  const ratio = load.ratioToDynamoCeiling;
  checks.push({
    target: `initial load ≥ ${LOAD_RATIO_TARGET} of the DynamoDB ceiling`,
    measured: ratio === null ? 'no ceiling measured' : `${ratio} (${fmt(load.rowsPerSecond)} of ${fmt(results.ceilings.dynamoBatchWrite.best?.itemsPerSecond ?? 0)} items/s)`,
    met: ratio === null ? null : ratio >= LOAD_RATIO_TARGET,
    ...(ratio !== null && ratio < LOAD_RATIO_TARGET ? { whereTheTimeGoes: loadWhere(results) } : {}),
  });
  const idle = results.streamingIdle;
  if (idle) checks.push(lagCheck(results, idle, 'near idle', 'streaming-idle', IDLE_LAG_TARGET_MS));
  checks.push(lagCheck(results, results.streaming, 'under load', 'streaming', LOAD_LAG_TARGET_MS));
  const sustained = [idle, results.streaming].filter((phase): phase is StreamingPhase => phase !== undefined && held(phase) && phase.latencyMs !== null && phase.latencyMs.p99 < 1000);
  const highest = Math.max(0, ...sustained.map((phase) => phase.achievedChangesPerSecond));
  checks.push({
    target: `highest sustained rate with p99 < 1 s ≥ ${fmt(SUSTAINED_RATE_TARGET)} changes/s`,
    measured: `${fmt(highest)} changes/s (the highest rate run whose p99 < 1 s; rates run: ${[idle, results.streaming].filter(Boolean).map((phase) => `${fmt((phase as StreamingPhase).achievedChangesPerSecond)}/s p99 ${(phase as StreamingPhase).latencyMs?.p99 ?? '—'} ms`).join(', ')})`,
    met: highest >= SUSTAINED_RATE_TARGET,
  });
  const perChange = results.streaming.pipeline.cpuMicrosecondsPerChange;
  if (perChange) {
    const ours = (perChange.transformer ?? 0) + (perChange.writer ?? 0);
    checks.push({
      target: `CPU per change of transformer + writer ≤ ${CPU_PER_CHANGE_TARGET_US} µs`,
      measured: `${fmt(ours)} µs (transformer ${fmt(perChange.transformer ?? 0)}, writer ${fmt(perChange.writer ?? 0)}; at ${fmt(results.streaming.achievedChangesPerSecond)} changes/s)`,
      met: ours <= CPU_PER_CHANGE_TARGET_US,
      ...(ours <= CPU_PER_CHANGE_TARGET_US ? {} : { whereTheTimeGoes: serviceProfiles(results, 'streaming') }),
    });
    checks.push({
      target: 'CPU per change of Kafka Connect + Kafka (our event format): report it',
      measured: `${fmt((perChange['connect (debezium)'] ?? 0) + (perChange.kafka ?? 0))} µs (connect ${fmt(perChange['connect (debezium)'] ?? 0)}, kafka ${fmt(perChange.kafka ?? 0)}; ${results.streaming.hops?.changeEventBytesMean ?? '—'} B per change event)`,
      met: null,
    });
  }
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
  const mappingMet = mapping.paymentsReadPerCpuSecond >= MAPPING_TARGET_PER_CPU_SECOND;
  checks.push({
    target: `mapping ≥ ${fmt(MAPPING_TARGET_PER_CPU_SECOND)} events per CPU-second, one thread`,
    measured: `${fmt(mapping.paymentsReadPerCpuSecond)} events per CPU-second of one thread (payments snapshot read; wall-clock ${fmt(mapping.paymentsReadPerCore)}/s); lowest case ${mapping.lowest.case} ${fmt(mapping.lowest.eventsPerSecond)}/s wall-clock`,
    met: mappingMet,
    ...(mappingMet || !mapping.profile ? {} : { whereTheTimeGoes: `mapping profile (self time): ${areas(mapping.profile)}; payments read µs/event: ${JSON.stringify(mapping.cases.find((entry) => entry.case === 'payments.payments.r')?.breakdownMicrosecondsPerEvent ?? {})}` }),
  });
  for (const service of SERVICES) {
    const peak = results.memory.peaks[service];
    const mib = peak ? Math.max(peak.peakRssMiB, peak.rootsVmHwmMiB ?? 0) : null;
    checks.push({ target: `${service} peak RSS ≤ ${RSS_TARGET_MIB} MiB`, measured: mib === null ? 'not sampled' : `${mib} MiB (VmHWM ${peak?.rootsVmHwmMiB} MiB)`, met: mib === null ? null : mib <= RSS_TARGET_MIB });
  }
  return checks;
}

function held(phase: StreamingPhase): boolean {
  return phase.achievedChangesPerSecond >= 0.95 * phase.scheduledRate && phase.probes.unresolved === 0;
}

function lagCheck(results: SuiteResults, phase: StreamingPhase, label: string, profilePhase: string, target: { p50: number; p99: number }): TargetCheck {
  const lag = phase.latencyMs;
  const met = lag !== null && lag.p50 <= target.p50 && lag.p99 <= target.p99 && held(phase);
  return {
    target: `commit → visible ${label} (${fmt(phase.scheduledRate)} changes/s) p50 ≤ ${target.p50} ms, p99 ≤ ${target.p99} ms`,
    measured:
      lag === null
        ? 'no probe seen'
        : `p50 ${lag.p50} / p99 ${lag.p99} ms at ${fmt(phase.achievedChangesPerSecond)} changes/s achieved${phase.probes.unresolved ? `, ${phase.probes.unresolved} probes never seen` : ''}`,
    met,
    ...(met ? {} : { whereTheTimeGoes: [streamingWhere(phase), serviceProfiles(results, profilePhase)].filter(Boolean).join('; ') }),
  };
}

function serviceProfiles(results: SuiteResults, phase: string): string {
  return SERVICES.map((service) => {
    const profile = results.profiles[`${service}-${phase}`];
    return profile ? `${service} profile (self time, ${profile.busySeconds} s busy of ${profile.seconds} s): ${areas(profile)}` : undefined;
  })
    .filter(Boolean)
    .join('; ');
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

function streamingWhere(streaming: StreamingPhase): string {
  const hops = streaming.hops;
  const parts = [
    `achieved ${fmt(streaming.achievedChangesPerSecond)} of ${fmt(streaming.scheduledRate)} changes/s (max ${fmt(streaming.maxBehindScheduleMs)} ms behind schedule; statement p99 ${streaming.statementMs.p99} ms)`,
    hops && hops.matched > 0
      ? `hops p50/p99 ms: commit→Debezium ${hop(hops.commitToDebezium)}, →change topic ${hop(hops.debeziumToChangeTopic)}, →transformed ${hop(hops.changeTopicToTransformed)}, →visible (writer + read loop) ${hop(hops.transformedToVisible)}`
      : undefined,
    `by kind p50/p99 ms: ${Object.entries(streaming.latencyByOpMs).map(([op, figure]) => `${op} ${figure?.p50}/${figure?.p99}`).join(', ')}`,
    `all ${fmt(streaming.pipeline.count ?? 0)} changes done after (s, from the first change; the load lasted ${streaming.seconds} s): Debezium in Kafka ${streaming.pipeline.stageDoneSeconds.debeziumInKafka}, transformer ${streaming.pipeline.stageDoneSeconds.transformer}, writer ${streaming.pipeline.stageDoneSeconds.writer}`,
    `CPU cores (/proc): ${cores(streaming.pipeline.cpuCores)}`,
  ];
  return parts.filter(Boolean).join('; ');
}

/** The side-by-side baseline against the pipeline under load: what the guarantees cost. */
function unguardedLines(r: SuiteResults): string[] {
  const u = r.unguardedBaseline as UnguardedBaseline;
  const perChange = r.streaming.pipeline.cpuMicrosecondsPerChange ?? {};
  const writerDone = r.streaming.pipeline.stageDoneSeconds.writer;
  const pipelineRate = writerDone ? Math.round((r.streaming.pipeline.count ?? 0) / writerDone) : 0;
  return [
    '',
    '| same events under load | changes/s through | our services µs/change | emulator µs/change | DynamoDB requests |',
    '| --- | ---: | ---: | ---: | ---: |',
    `| pg2ddb (transformer + writer, guarded) | ${fmt(pipelineRate)} (first change → writer done) | ${fmt((perChange.transformer ?? 0) + (perChange.writer ?? 0))} | ${fmt(perChange.dynamodb ?? 0)} | — |`,
    `| minimal unguarded consumer (replay: convert + BatchWriteItem) | ${fmt(u.eventsPerSecond)} | ${fmt(u.consumerMicrosecondsPerChange)} | ${fmt(u.dynamoMicrosecondsPerChange)} | ${fmt(u.requests)} for ${fmt(u.itemsWritten)} items |`,
  ];
}

function hop(figure: { p50: number; p99: number }): string {
  return `${figure.p50}/${figure.p99}`;
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
    ['… ratio to the DynamoDB ceiling', String(r.initialLoad.ratioToDynamoCeiling ?? '—'), `× (target ≥ ${LOAD_RATIO_TARGET})`],
    ["… ratio to the seed's approach", String(r.initialLoad.ratioToSeedBaseline), '×'],
    ['streaming changes achieved', fmt(r.streaming.achievedChangesPerSecond), `changes/s (of ${fmt(r.streaming.scheduledRate)} scheduled, ${r.streaming.seconds} s)`],
    [
      'lag commit → visible p50 / p95 / p99',
      lag ? `${lag.p50} / ${lag.p95} / ${lag.p99}` : '—',
      `ms (${fmt(r.streaming.probes.seen)} probes read back from DynamoDB, a read round every ≥${r.streaming.readLoop.pollMs} ms taking ${r.streaming.readLoop.meanRoundMs} ms on average: the upper bound is kept; target p50 ≤ ${LOAD_LAG_TARGET_MS.p50}, p99 ≤ ${LOAD_LAG_TARGET_MS.p99})`,
    ],
    ['reconciler full compare', r.reconciler.measured ? fmt(r.reconciler.rowsPerSecond) : r.reconciler.note, r.reconciler.measured ? `rows/s (${fmt(r.reconciler.rows)} rows)` : ''],
    ['… raw parallel Scan of the same table', r.reconciler.rawScan ? fmt(r.reconciler.rawScan.itemsPerSecond) : '—', 'items/s (same segments, page size and concurrency)'],
    ['… ratio of the compare to the raw Scan', String(r.reconciler.ratioToRawScan ?? '—'), `× (target ≥ ${RECONCILER_RATIO_TARGET})`],
    ['mapping (payments snapshot read), per CPU-second', fmt(r.mapping.paymentsReadPerCpuSecond), `events per CPU-second of one thread (target ≥ ${fmt(MAPPING_TARGET_PER_CPU_SECOND)})`],
    ['mapping (payments snapshot read), wall-clock', fmt(r.mapping.paymentsReadPerCore), 'events/s of one thread (lower when the box is busy)'],
  ];
  for (const [name, peak] of Object.entries(r.memory.peaks)) {
    rows.push([`peak RSS ${name}`, String(Math.max(peak.peakRssMiB, SERVICES.includes(name) ? (peak.rootsVmHwmMiB ?? 0) : 0)), SERVICES.includes(name) ? `MiB (target ≤ ${RSS_TARGET_MIB})` : 'MiB (polled during the run; shared stack process)']);
  }
  const phases = [r.streamingIdle, r.streaming].filter((phase): phase is StreamingPhase => phase !== undefined);
  const groups = [...new Set(phases.flatMap((phase) => Object.keys(phase.pipeline.cpuMicrosecondsPerChange ?? {})))];
  const nearRealTime = [
    '',
    '## Near real time: latency per hop, CPU per change, lag',
    '',
    `| rate (scheduled → achieved, changes/s) | commit → visible p50 / p99 ms | commit→Debezium | →change topic | →transformed | →visible | writer done after load ends (s) | ${groups.map((group) => `${group} µs/change`).join(' | ')} | change event B |`,
    `| --- | ---: | ---: | ---: | ---: | ---: | ---: | ${groups.map(() => '---:').join(' | ')} | ---: |`,
    ...phases.map((phase) => {
      const hops = phase.hops;
      const cell = (figure: { p50: number; p99: number } | undefined) => (figure && hops && hops.matched > 0 ? hop(figure) : '—');
      const writerDone = phase.pipeline.stageDoneSeconds.writer;
      return `| ${fmt(phase.scheduledRate)} → ${fmt(phase.achievedChangesPerSecond)} | ${phase.latencyMs ? `${phase.latencyMs.p50} / ${phase.latencyMs.p99}` : '—'} | ${cell(hops?.commitToDebezium)} | ${cell(hops?.debeziumToChangeTopic)} | ${cell(hops?.changeTopicToTransformed)} | ${cell(hops?.transformedToVisible)} | ${writerDone === null ? '—' : Math.max(0, Math.round((writerDone - phase.seconds) * 10) / 10)} | ${groups.map((group) => fmt(phase.pipeline.cpuMicrosecondsPerChange?.[group] ?? 0)).join(' | ')} | ${hops?.changeEventBytesMean ?? '—'} |`;
    }),
    ...(r.unguardedBaseline ? unguardedLines(r) : []),
    '',
    'Hops are p50/p99 ms over the probes: source commit (`source.ts_ms`) → Debezium read it (`ts_ms`) → its Kafka timestamp → the write command\'s Kafka timestamp → the probe saw it in DynamoDB (the writer\'s fetch, guard and write, plus the read loop\'s resolution). CPU per change: each process group\'s CPU time during the phase (from its start until the writer finished) ÷ changes; near idle it includes the idle cost (heartbeats, polls).',
  ];
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
    ...nearRealTime,
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
