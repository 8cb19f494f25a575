import { readdirSync, readFileSync } from 'node:fs';
import type { ProcessGroup } from './process-cpu';

/** Peak memory of one process group over the sampled window. */
export interface MemoryPeak {
  /** Highest sum of VmRSS over the group's processes (descendants included) seen by the sampler, MiB. */
  peakRssMiB: number;
  /** The root processes' own VmHWM (the kernel's lifetime peak RSS) at the last sample, MiB. */
  rootsVmHwmMiB: number | null;
  samples: number;
}

/**
 * Polls VmRSS of every process group (a group's processes are its roots and their descendants)
 * and keeps the peak. The kernel's VmHWM is read too: for the benchmark's own service processes,
 * which live only for the run, it is their exact peak; for the shared stack's long-running JVMs and
 * Postgres it would include other people's work, so the polled peak is the figure for those.
 */
export class MemorySampler {
  private readonly peaks = new Map<string, MemoryPeak>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly groups: () => ProcessGroup[],
    private readonly everyMs = 500,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Takes one sample now (also called by the timer); groups without a live process are skipped. */
  sample(): void {
    const tree = processTree();
    for (const group of this.groups()) {
      const pids = descendants(tree, group.roots);
      if (pids.length === 0) continue;
      let rssKiB = 0;
      for (const pid of pids) rssKiB += statusKiB(pid, 'VmRSS') ?? 0;
      let hwmKiB: number | null = null;
      for (const root of group.roots) {
        const hwm = statusKiB(root, 'VmHWM');
        if (hwm !== undefined) hwmKiB = (hwmKiB ?? 0) + hwm;
      }
      const previous = this.peaks.get(group.name);
      this.peaks.set(group.name, {
        peakRssMiB: Math.max(previous?.peakRssMiB ?? 0, round1(rssKiB / 1024)),
        rootsVmHwmMiB: hwmKiB === null ? (previous?.rootsVmHwmMiB ?? null) : Math.max(previous?.rootsVmHwmMiB ?? 0, round1(hwmKiB / 1024)),
        samples: (previous?.samples ?? 0) + 1,
      });
    }
  }

  /** Peaks per group name. */
  report(): Record<string, MemoryPeak> {
    return Object.fromEntries(this.peaks);
  }
}

/** This process's own peak RSS (getrusage ru_maxrss), MiB. */
export function selfPeakRssMiB(): number {
  return round1(process.resourceUsage().maxRSS / 1024);
}

function processTree(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // exited meanwhile
    }
  }
  return children;
}

function descendants(children: Map<number, number[]>, roots: readonly number[]): number[] {
  const seen = new Set<number>();
  const stack = roots.filter((pid) => pid > 0);
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    if (seen.has(pid)) continue;
    seen.add(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return [...seen].filter((pid) => statusKiB(pid, 'VmRSS') !== undefined);
}

function statusKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
