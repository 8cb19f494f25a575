import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, totalmem } from 'node:os';

/** What a result was measured on; every results file carries it. */
export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  memTotalGiB: number;
  node: string;
  platform: string;
  loadAverage1m: number;
  gitCommit: string | null;
  date: string;
}

/** Describes this machine (nproc, CPU model from /proc/cpuinfo, memory, node) and the checkout. */
export function machineInfo(): MachineInfo {
  return {
    nproc: availableParallelism(),
    cpuModel: cpuModel(),
    memTotalGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    gitCommit: gitCommit(),
    date: new Date().toISOString(),
  };
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    return match?.[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function gitCommit(): string | null {
  try {
    // rev-parse only reads; `git status` would refresh the shared checkout's index.
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}
