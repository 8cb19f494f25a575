/** Turning the pipeline counters of one phase into the figures the results file reports. */
import { percentile, round } from './bench-stats';
import type { PipelineCounters, PipelineWatch } from './pipeline-watch';
import { cpuBetween, type CpuSnapshot, type CpuUse } from './process-cpu';

/** Seconds between two ms timestamps, for reports. */
export const seconds = (fromMs: number, toMs: number): number => round((toMs - fromMs) / 1000, 2);
/** Events per second between two ms timestamps. */
export const perSecond = (count: number, fromMs: number, toMs: number): number => Math.round(count / ((toMs - fromMs) / 1000));

/** When each stage had handled a phase's events (absolute targets on the cumulative counters). */
export interface StageTargets {
  changeEvents: number;
  transformed: number;
  writeCommands: number;
  writtenTotal: number;
}

export interface Followed {
  last: PipelineCounters;
  /** ms timestamps at which each counter reached its target. */
  reachedAt: Partial<Record<keyof StageTargets, number>>;
  timeline: PipelineCounters[];
}

/**
 * Polls the pipeline until the writer has finished `targets.writtenTotal` commands, noting when
 * each stage reached its target; prints progress every few seconds.
 */
export async function follow(watch: PipelineWatch, targets: StageTargets, startMs: number, timeoutS: number, label: string): Promise<Followed> {
  const reachedAt: Followed['reachedAt'] = {};
  const timeline: PipelineCounters[] = [];
  let lastTimeline = 0;
  let lastPrint = Date.now();
  for (;;) {
    const counters = await watch.counters();
    for (const key of Object.keys(targets) as Array<keyof StageTargets>) {
      if (reachedAt[key] === undefined && counters[key] >= targets[key]) reachedAt[key] = counters.atMs;
    }
    if (counters.atMs - lastTimeline >= 1000) {
      timeline.push(counters);
      lastTimeline = counters.atMs;
    }
    if (counters.atMs - lastPrint >= 3000) {
      lastPrint = counters.atMs;
      process.stdout.write(
        `  [${label} ${seconds(startMs, counters.atMs).toFixed(1).padStart(6)}s] in Kafka ${counters.changeEvents}  transformed ${counters.transformed}  commands ${counters.writeCommands}  written ${counters.writtenTotal}\n`,
      );
    }
    if (counters.writtenTotal >= targets.writtenTotal) {
      timeline.push(counters);
      return { last: counters, reachedAt, timeline };
    }
    if (counters.atMs - startMs > timeoutS * 1000) {
      throw new Error(`${label}: the writer had finished ${counters.writtenTotal} of ${targets.writtenTotal} commands after ${timeoutS} s (Kafka ${counters.changeEvents}, transformed ${counters.transformed})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Targets `count` events beyond `base` for every stage. */
export function targetsAfter(base: PipelineCounters, count: number): StageTargets {
  return {
    changeEvents: base.changeEvents + count,
    transformed: base.transformed + count,
    writeCommands: base.writeCommands + count,
    writtenTotal: base.writtenTotal + count,
  };
}

/** Rates, per-stage completion, writer batch figures and CPU of one phase. */
export function phaseReport(count: number, startMs: number, before: PipelineCounters, followed: Followed) {
  const after = followed.last;
  const wall = (after.atMs - startMs) / 1000;
  const batches = after.writerBatches - before.writerBatches;
  const batchSeconds = after.writerBatchSeconds - before.writerBatchSeconds;
  const stageDone = (key: keyof StageTargets) => (followed.reachedAt[key] === undefined ? null : seconds(startMs, followed.reachedAt[key] as number));
  const outcomes: Record<string, number> = {};
  for (const [outcome, value] of Object.entries(after.written)) outcomes[outcome] = value - (before.written[outcome] ?? 0);
  return {
    count,
    seconds: round(wall, 2),
    rowsPerSecond: Math.round(count / wall),
    // Seconds from the phase start until each stage had handled all `count` events.
    stageDoneSeconds: {
      debeziumInKafka: stageDone('changeEvents'),
      transformer: stageDone('transformed'),
      writeCommandsInKafka: stageDone('writeCommands'),
      writer: stageDone('writtenTotal'),
    },
    writer: {
      batches,
      commandsPerBatch: batches > 0 ? Math.round((after.writtenTotal - before.writtenTotal) / batches) : null,
      meanBatchMs: batches > 0 ? Math.round((batchSeconds / batches) * 1000) : null,
      // Sum of batch durations / wall time: ~1 with one partition means a batch was always in flight.
      batchesInFlight: round(batchSeconds / wall, 2),
      outcomes,
    },
    cpuCores: cpuBetween(before.cpu, after.cpu),
    cpuMicrosecondsPerChange: cpuPerChange(before.cpu, after.cpu, count),
  };
}

/** µs of CPU each process group spent per change of a phase (its CPU time between the snapshots ÷ changes). */
export function cpuPerChange(before: CpuSnapshot, after: CpuSnapshot, count: number): Record<string, number> {
  const perChange: Record<string, number> = {};
  for (const [group, used] of Object.entries(after.groups)) perChange[group] = count > 0 ? Math.round(((used - (before.groups[group] ?? 0)) * 1e6) / count) : 0;
  return perChange;
}

/** The writer's steady rate: commands/s between 10% and 90% of the phase's writes. */
export function steadyWriteRate(timeline: PipelineCounters[], base: number, count: number): number | null {
  const at = (fraction: number) => timeline.find((sample) => sample.writtenTotal - base >= fraction * count);
  const from = at(0.1);
  const to = at(0.9);
  if (!from || !to || to.atMs === from.atMs) return null;
  return perSecond(to.writtenTotal - from.writtenTotal, from.atMs, to.atMs);
}

/** Per-second progress and CPU of the load, for the results file. */
export function timelineReport(timeline: PipelineCounters[], startMs: number) {
  return timeline.map((sample, index) => {
    const previous = timeline[index - 1];
    return {
      t: seconds(startMs, sample.atMs),
      inKafka: sample.changeEvents,
      transformed: sample.transformed,
      commands: sample.writeCommands,
      written: sample.writtenTotal,
      cpuCores: previous ? cpuBetween(previous.cpu, sample.cpu).groups : undefined,
    };
  });
}

/** Percentiles of commit → visible latencies, in ms. */
export function latencyReport(latencies: number[]) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    samples: sorted.length,
    p50Ms: Math.round(percentile(sorted, 50)),
    p95Ms: Math.round(percentile(sorted, 95)),
    p99Ms: Math.round(percentile(sorted, 99)),
    minMs: Math.round(sorted[0] ?? Number.NaN),
    maxMs: Math.round(sorted[sorted.length - 1] ?? Number.NaN),
    meanMs: Math.round(sorted.reduce((sum, value) => sum + value, 0) / sorted.length),
  };
}

/** The groups' CPU use, busiest first, for a progress line. */
export function busiest(cpu: CpuUse): string {
  return Object.entries(cpu.groups)
    .sort((a, b) => b[1] - a[1])
    .map(([name, cores]) => `${name} ${cores}`)
    .join(', ');
}
