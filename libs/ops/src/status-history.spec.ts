import { parsePrometheusText, sumOf } from './prometheus-text';
import { StatusHistory, type StatusSample } from './status-history';

const sample = (at: number, fields: Partial<StatusSample>): StatusSample => ({
  at,
  applied: null,
  lagSum: null,
  lagCount: null,
  retainedWalBytes: null,
  writerLag: null,
  deadLetters: null,
  ...fields,
});

describe('status history', () => {
  it('derives throughput and mean commit→visible lag between samples', () => {
    const history = new StatusHistory();
    history.add(sample(0, { applied: 100, lagSum: 1.0, lagCount: 10, retainedWalBytes: 4096, writerLag: 5 }));
    history.add(sample(2000, { applied: 300, lagSum: 2.5, lagCount: 20, retainedWalBytes: 8192, writerLag: 0 }));
    // No write in between: no lag point (nothing became visible), throughput 0.
    history.add(sample(4000, { applied: 300, lagSum: 2.5, lagCount: 20 }));
    const series = history.series();
    expect(series.throughput).toEqual([
      { at: 2000, value: 100 },
      { at: 4000, value: 0 },
    ]);
    expect(series.lagMs).toEqual([{ at: 2000, value: 150 }]);
    expect(series.retainedWalBytes).toEqual([
      { at: 0, value: 4096 },
      { at: 2000, value: 8192 },
    ]);
    expect(series.writerLag.map((point) => point.value)).toEqual([5, 0]);
  });

  it('keeps only the window and restarts the baseline when a writer restarted (counters fell)', () => {
    const history = new StatusHistory(10_000);
    history.add(sample(0, { applied: 10, lagSum: 5, lagCount: 50 }));
    history.add(sample(5000, { applied: 20, lagSum: 6, lagCount: 60 }));
    history.add(sample(12_000, { applied: 5, lagSum: 0.1, lagCount: 1 }));
    history.add(sample(14_000, { applied: 9, lagSum: 0.3, lagCount: 3 }));
    const series = history.series();
    expect(series.throughput.map((point) => point.at)).toEqual([14_000]);
    expect(series.lagMs.map((point) => point.at)).toEqual([14_000]);
    expect(series.lagMs[0]?.value).toBeCloseTo(100, 9);
    expect(history.latest()?.at).toBe(14_000);
  });
});

describe('prometheus text', () => {
  it('reads counters and histogram sums, with labels', () => {
    const samples = parsePrometheusText(`# HELP pg2ddb_writer_commands_total Write commands
# TYPE pg2ddb_writer_commands_total counter
pg2ddb_writer_commands_total{outcome="applied"} 42
pg2ddb_writer_commands_total{outcome="stale"} 3
pg2ddb_writer_end_to_end_lag_seconds_bucket{le="+Inf"} 7
pg2ddb_writer_end_to_end_lag_seconds_sum 0.7
pg2ddb_writer_end_to_end_lag_seconds_count 7
weird{a="x\\"y"} 1
not a metric line
`);
    expect(sumOf(samples, 'pg2ddb_writer_commands_total', { outcome: 'applied' })).toBe(42);
    expect(sumOf(samples, 'pg2ddb_writer_commands_total')).toBe(45);
    expect(sumOf(samples, 'pg2ddb_writer_end_to_end_lag_seconds_sum')).toBe(0.7);
    expect(sumOf(samples, 'pg2ddb_writer_end_to_end_lag_seconds_bucket', { le: '+Inf' })).toBe(7);
    expect(samples.find((s) => s.name === 'weird')?.labels).toEqual({ a: 'x"y' });
    expect(sumOf(samples, 'absent')).toBe(0);
  });
});
