/** What the status service measures at each tick (null: not measurable at that moment). */
export interface StatusSample {
  at: number;
  /** Write commands the writer group has consumed and applied so far (sum of committed offsets). */
  applied: number | null;
  /** The writers' commit→visible histogram: sum of seconds and count of writes (summed over writers). */
  lagSum: number | null;
  lagCount: number | null;
  /** WAL the connector's replication slot keeps on the source. */
  retainedWalBytes: number | null;
  writerLag: number | null;
  deadLetters: number | null;
}

/** A point of a plotted series. */
export interface SeriesPoint {
  at: number;
  value: number;
}

/** The plotted series over the window: derived from consecutive samples. */
export interface StatusSeries {
  /** Write commands applied per second between two samples. */
  throughput: SeriesPoint[];
  /** Mean commit→visible lag (ms) of the writes applied between two samples. */
  lagMs: SeriesPoint[];
  retainedWalBytes: SeriesPoint[];
  writerLag: SeriesPoint[];
  deadLetters: SeriesPoint[];
}

/**
 * The last `windowMs` (an hour by default) of status samples in memory, and the series plotted
 * from them. A restarted writer resets its counters: a negative difference starts a new baseline
 * instead of plotting a negative rate.
 */
export class StatusHistory {
  private readonly samples: StatusSample[] = [];

  constructor(private readonly windowMs = 3600_000) {}

  add(sample: StatusSample): void {
    this.samples.push(sample);
    const oldest = sample.at - this.windowMs;
    while (this.samples.length > 0 && (this.samples[0] as StatusSample).at < oldest) this.samples.shift();
  }

  latest(): StatusSample | undefined {
    return this.samples.at(-1);
  }

  series(): StatusSeries {
    const series: StatusSeries = { throughput: [], lagMs: [], retainedWalBytes: [], writerLag: [], deadLetters: [] };
    let previous: StatusSample | undefined;
    for (const sample of this.samples) {
      if (sample.retainedWalBytes !== null) series.retainedWalBytes.push({ at: sample.at, value: sample.retainedWalBytes });
      if (sample.writerLag !== null && sample.writerLag >= 0) series.writerLag.push({ at: sample.at, value: sample.writerLag });
      if (sample.deadLetters !== null && sample.deadLetters >= 0) series.deadLetters.push({ at: sample.at, value: sample.deadLetters });
      if (previous) {
        const seconds = (sample.at - previous.at) / 1000;
        if (seconds > 0 && sample.applied !== null && previous.applied !== null && sample.applied >= previous.applied) {
          series.throughput.push({ at: sample.at, value: (sample.applied - previous.applied) / seconds });
        }
        if (sample.lagSum !== null && sample.lagCount !== null && previous.lagSum !== null && previous.lagCount !== null) {
          const writes = sample.lagCount - previous.lagCount;
          const sum = sample.lagSum - previous.lagSum;
          if (writes > 0 && sum >= 0) series.lagMs.push({ at: sample.at, value: (sum / writes) * 1000 });
        }
      }
      previous = sample;
    }
    return series;
  }
}
