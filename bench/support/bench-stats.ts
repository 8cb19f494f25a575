/** Summary of repeated measurements: the median is the figure, min/max and spread show the noise. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  mean: number;
  /** (max - min) / median, in percent. */
  spreadPct: number;
  samples: number[];
}

/** Median, range and relative spread of a list of measurements. */
export function summarize(samples: number[]): Summary {
  if (samples.length === 0) throw new Error('no samples to summarize');
  const sorted = [...samples].sort((a, b) => a - b);
  const median = percentile(sorted, 50);
  const min = sorted[0] as number;
  const max = sorted[sorted.length - 1] as number;
  const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
  return { median, min, max, mean, spreadPct: median === 0 ? 0 : ((max - min) / median) * 100, samples };
}

/** Percentile by linear interpolation between closest ranks; `sorted` must be ascending. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lowValue = sorted[low] as number;
  return lowValue + ((sorted[high] as number) - lowValue) * (rank - low);
}

/** Rounds to `decimals` places, so reports do not carry meaningless digits. */
export function round(value: number, decimals = 1): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
