import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Admin } from 'kafkajs';
import { childPids, cpuSnapshot, processEnv, type CpuSnapshot, type ProcessGroup } from './process-cpu';
import { metricSum, scrapeMetrics, type MetricSamples } from './service-metrics';

/** Where each stage of one pipeline stands, at one moment. */
export interface PipelineCounters {
  atMs: number;
  /** Messages in the Debezium change topic (what the connector has produced). */
  changeEvents: number;
  /** Events the transformer has handled (mapped, skipped or dead-lettered). */
  transformed: number;
  /** Messages in the writes topic (what the transformer has produced). */
  writeCommands: number;
  /** Commands the writer has finished, by outcome (applied, stale, coalesced, dead_lettered). */
  written: Record<string, number>;
  writtenTotal: number;
  writerBatches: number;
  writerBatchSeconds: number;
  cpu: CpuSnapshot;
}

/**
 * Watches one TestPipeline from outside: Kafka end offsets, the services' /metrics and the CPU of
 * every process involved. The services are this process's children (TestPipeline spawns them), so
 * they are found by command line; the stack's processes by the stack's pid files.
 */
export class PipelineWatch {
  private readonly services = new Map<'transformer' | 'writer', { pid: number; port: number }>();
  private readonly existing = new Set<string>();
  private readonly lastEnds = new Map<string, number>();

  constructor(
    private readonly admin: Admin,
    private readonly topics: { change: string; writes: string },
    private readonly stackDir: string,
    /** The DynamoDB emulator the pipeline writes to, when it is not the stack's (the benchmark's own). */
    private readonly dynamoPid?: () => number | undefined,
  ) {}

  /** The process groups whose CPU is reported. */
  groups(): ProcessGroup[] {
    const pidFile = (name: string): number => readPid(join(this.stackDir, `${name}.pid`));
    return [
      { name: 'postgres', roots: [readPid(join(this.stackDir, 'postgres/data/postmaster.pid'))] },
      { name: 'kafka', roots: [pidFile('kafka')] },
      { name: 'connect (debezium)', roots: [pidFile('connect')] },
      { name: 'transformer', roots: [this.services.get('transformer')?.pid ?? -1] },
      { name: 'writer', roots: [this.services.get('writer')?.pid ?? -1] },
      { name: 'dynamodb', roots: [this.dynamoPid ? (this.dynamoPid() ?? -1) : pidFile('dynamodb')] },
      // The benchmark itself: SQL, polling, scraping (its children are counted above).
      { name: 'bench', roots: [] },
    ];
  }

  /** The writer's /metrics port, once the writer has started. */
  writerPort(): number | undefined {
    return this.services.get('writer')?.port;
  }

  async counters(): Promise<PipelineCounters> {
    this.findServices();
    const [changeEvents, writeCommands, transformer, writer] = await Promise.all([
      this.topicEnd(this.topics.change),
      this.topicEnd(this.topics.writes),
      this.scrape('transformer'),
      this.scrape('writer'),
    ]);
    const written: Record<string, number> = {};
    // Every outcome the writer reports (applied, stale, coalesced, dead_lettered, … whatever it adds).
    for (const outcome of ['applied', 'stale', 'coalesced', 'dead_lettered', ...outcomesOf(writer, 'pg2ddb_writer_commands_total')]) {
      written[outcome] = metricSum(writer, 'pg2ddb_writer_commands_total', `outcome="${outcome}"`);
    }
    const groups = this.groups();
    const cpu = cpuSnapshot(groups.filter((group) => group.name !== 'bench'));
    cpu.groups.bench = selfCpuSeconds();
    return {
      atMs: Date.now(),
      changeEvents,
      transformed: metricSum(transformer, 'pg2ddb_transformer_events_total'),
      writeCommands,
      written,
      writtenTotal: Object.values(written).reduce((sum, count) => sum + count, 0),
      writerBatches: metricSum(writer, 'pg2ddb_writer_batch_seconds_count'),
      writerBatchSeconds: metricSum(writer, 'pg2ddb_writer_batch_seconds_sum'),
      cpu,
    };
  }

  /**
   * Messages in a topic: the sum of its partitions' end offsets, 0 while it does not exist. Asking
   * kafkajs for the offsets of a missing topic would retry for seconds, so existence comes first.
   */
  private async topicEnd(topic: string): Promise<number> {
    if (!this.existing.has(topic)) {
      for (const name of await this.admin.listTopics()) this.existing.add(name);
      if (!this.existing.has(topic)) return 0;
    }
    try {
      const partitions = await this.admin.fetchTopicOffsets(topic);
      const end = partitions.reduce((sum, partition) => sum + Number(partition.high), 0);
      this.lastEnds.set(topic, end);
      return end;
    } catch {
      // A topic just created may briefly answer "not the leader": keep the last reading.
      return this.lastEnds.get(topic) ?? 0;
    }
  }

  private findServices(): void {
    for (const name of ['transformer', 'writer'] as const) {
      const known = this.services.get(name);
      if (known && processEnv(known.pid, 'PG2DDB_HTTP_PORT') !== undefined) continue;
      const [pid] = childPids(process.pid, join('apps', name, 'src', 'main.')); // main.ts from the sources, main.js from dist/
      const port = pid === undefined ? undefined : Number(processEnv(pid, 'PG2DDB_HTTP_PORT'));
      if (pid !== undefined && port) this.services.set(name, { pid, port });
    }
  }

  private async scrape(name: 'transformer' | 'writer'): Promise<MetricSamples> {
    const service = this.services.get(name);
    return service ? scrapeMetrics(service.port) : new Map();
  }
}

function readPid(path: string): number {
  try {
    return Number(readFileSync(path, 'utf8').split('\n')[0]?.trim()) || -1;
  } catch {
    return -1;
  }
}

function selfCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/** The distinct `outcome` label values of a metric. */
function outcomesOf(samples: MetricSamples, name: string): string[] {
  const outcomes = new Set<string>();
  for (const key of samples.keys()) {
    if (!key.startsWith(`${name}{`)) continue;
    const match = /outcome="([^"]*)"/.exec(key);
    if (match?.[1]) outcomes.add(match[1]);
  }
  return [...outcomes];
}
