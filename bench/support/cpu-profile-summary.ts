import { readFileSync } from 'node:fs';

/** Where one process spent its CPU in one phase, from a V8 CPU profile (self time). */
export interface ProfileSummary {
  file: string;
  /** Profiled wall time, s. */
  seconds: number;
  /** Time on CPU (all samples but `(idle)`), s. */
  busySeconds: number;
  /** Self time by where the code lives: a package, node core, pg2ddb's own lib/app, GC, V8. */
  byArea: Array<{ area: string; seconds: number; pctOfBusy: number }>;
  /** The functions with the most self time. */
  topFunctions: Array<{ fn: string; where: string; seconds: number; pctOfBusy: number }>;
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/**
 * Summarises a `.cpuprofile`: each sample's time delta is charged to the sampled function (self
 * time), then summed per area and per function. `repoRoot` turns file URLs into repo paths.
 */
export function summarizeCpuProfile(file: string, repoRoot: string, top = 12): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const selfUs = new Map<number, number>();
  for (let index = 0; index < samples.length; index++) {
    // timeDeltas[i] is the time since the previous sample: charge it to the sample that ends it.
    const delta = Math.max(0, deltas[index + 1] ?? 0);
    const id = samples[index] as number;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  }
  const areas = new Map<string, number>();
  const functions = new Map<string, { fn: string; where: string; us: number }>();
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const frame = nodes.get(id);
    if (!frame || frame.functionName === '(idle)') continue;
    busyUs += us;
    const area = areaOf(frame.functionName, frame.url, repoRoot);
    areas.set(area, (areas.get(area) ?? 0) + us);
    const where = frame.url ? `${shortUrl(frame.url, repoRoot)}:${frame.lineNumber + 1}` : '(native)';
    const name = frame.functionName || '(anonymous)';
    const key = `${name}@${where}`;
    const entry = functions.get(key) ?? { fn: name, where, us: 0 };
    entry.us += us;
    functions.set(key, entry);
  }
  const pct = (us: number): number => (busyUs === 0 ? 0 : Math.round((us / busyUs) * 1000) / 10);
  const s = (us: number): number => Math.round(us / 1e4) / 100;
  return {
    file,
    seconds: s(profile.endTime - profile.startTime),
    busySeconds: s(busyUs),
    byArea: [...areas.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([area, us]) => ({ area, seconds: s(us), pctOfBusy: pct(us) })),
    topFunctions: [...functions.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((entry) => ({ fn: entry.fn, where: entry.where, seconds: s(entry.us), pctOfBusy: pct(entry.us) })),
  };
}

/** A one-line summary for reports: the biggest areas with their share of busy time. */
export function profileLine(summary: ProfileSummary, count = 5): string {
  return summary.byArea
    .slice(0, count)
    .map((area) => `${area.area} ${area.pctOfBusy}%`)
    .join(', ');
}

function areaOf(functionName: string, url: string, repoRoot: string): string {
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(program)') return 'V8/native (program)';
  if (!url) return 'V8 builtins / native';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + '/node_modules/'.length).split('/');
    return (parts[0] ?? '').startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? 'node_modules');
  }
  if (url.startsWith('node:')) return 'node core';
  const path = shortUrl(url, repoRoot);
  const match = /^(?:dist\/)?(apps|libs)\/([^/]+)/.exec(path); // sources, or their compiled dist/ copy
  return match ? `pg2ddb ${match[1]}/${match[2]}` : path;
}

function shortUrl(url: string, repoRoot: string): string {
  const path = url.replace(/^file:\/\//, '');
  return path.startsWith(`${repoRoot}/`) ? path.slice(repoRoot.length + 1) : path.replace(/^.*\/node_modules\//, '');
}
