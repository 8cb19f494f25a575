import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** A named group of processes whose CPU time is summed (e.g. PostgreSQL and all its backends). */
export interface ProcessGroup {
  name: string;
  /** The group's root processes; their descendants count too. */
  roots: number[];
}

/** CPU time used so far, per group and for the whole machine. */
export interface CpuSnapshot {
  atMs: number;
  /** Seconds of CPU (user + system) per group. */
  groups: Record<string, number>;
  /** Seconds of CPU busy / stolen by the hypervisor / elapsed, summed over all cores. */
  machine: { busy: number; steal: number; total: number };
}

/** Average use between two snapshots, in cores (1.0 = one core fully busy). */
export interface CpuUse {
  seconds: number;
  groups: Record<string, number>;
  /** Every process on the machine, incl. other people's work on a shared box. */
  machineBusy: number;
  /** Machine busy time not in any group (other processes). */
  other: number;
  /** Time the hypervisor gave our vCPUs to someone else. */
  steal: number;
}

const TICKS_PER_SECOND = clockTicks();

/** Reads the CPU time of each group (descendants included) and of the machine, from /proc. */
export function cpuSnapshot(groups: readonly ProcessGroup[]): CpuSnapshot {
  const processes = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) processes.set(Number(entry), stat);
  }
  const children = new Map<number, number[]>();
  for (const [pid, { ppid }] of processes) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const result: Record<string, number> = {};
  for (const group of groups) {
    let ticks = 0;
    const seen = new Set<number>();
    const stack = group.roots.filter((pid) => pid > 0);
    while (stack.length > 0) {
      const pid = stack.pop() as number;
      if (seen.has(pid)) continue;
      seen.add(pid);
      ticks += processes.get(pid)?.ticks ?? 0;
      stack.push(...(children.get(pid) ?? []));
    }
    result[group.name] = ticks / TICKS_PER_SECOND;
  }
  return { atMs: Date.now(), groups: result, machine: machineTicks() };
}

/** Average cores used per group between two snapshots. */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): CpuUse {
  const seconds = (after.atMs - before.atMs) / 1000;
  const groups: Record<string, number> = {};
  let ours = 0;
  for (const name of Object.keys(after.groups)) {
    const used = Math.max(0, (after.groups[name] ?? 0) - (before.groups[name] ?? 0));
    groups[name] = round2(used / seconds);
    ours += used;
  }
  const busy = after.machine.busy - before.machine.busy;
  return {
    seconds: round2(seconds),
    groups,
    machineBusy: round2(busy / seconds),
    other: round2(Math.max(0, busy - ours) / seconds),
    steal: round2((after.machine.steal - before.machine.steal) / seconds),
  };
}

/** Direct children of `parent` whose command line contains `needle`. */
export function childPids(parent: number, needle: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat?.ppid !== parent) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) found.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

/** One variable of a process's environment (e.g. the HTTP port a service was given). */
export function processEnv(pid: number, name: string): string | undefined {
  try {
    const entry = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').find((line) => line.startsWith(`${name}=`));
    return entry?.slice(name.length + 1);
  } catch {
    return undefined;
  }
}

function readStat(pid: number): { ppid: number; ticks: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces: split after it.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

function machineTicks(): { busy: number; steal: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest is inside user)
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  const total = user + nice + system + idle + iowait + irq + softirq + steal;
  return { busy: (user + nice + system + irq + softirq) / TICKS_PER_SECOND, steal: steal / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
}

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
