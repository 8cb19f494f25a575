/** Prometheus text exposition as `name{labels}` → value (labels as written by prom-client). */
export type MetricSamples = Map<string, number>;

/** Scrapes a service's `GET /metrics`; an unreachable service yields an empty map. */
export async function scrapeMetrics(httpPort: number): Promise<MetricSamples> {
  try {
    const response = await fetch(`http://127.0.0.1:${httpPort}/metrics`, { signal: AbortSignal.timeout(2000) });
    return parseMetrics(await response.text());
  } catch {
    return new Map();
  }
}

/** Parses the Prometheus text format (comments skipped). */
export function parseMetrics(text: string): MetricSamples {
  const samples: MetricSamples = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return samples;
}

/** The sum of every sample of a metric whose labels contain all of `labels` (e.g. `outcome="applied"`). */
export function metricSum(samples: MetricSamples, name: string, ...labels: string[]): number {
  let sum = 0;
  for (const [key, value] of samples) {
    const brace = key.indexOf('{');
    const metric = brace < 0 ? key : key.slice(0, brace);
    if (metric !== name) continue;
    if (labels.every((label) => key.includes(label))) sum += value;
  }
  return sum;
}
