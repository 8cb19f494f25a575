/**
 * Micro-benchmark of the transformer's per-event CPU work, with no stack: raw Debezium JSON bytes
 * → lossless decode → source version → mapChange → JSON.stringify of each command (plus its Kafka
 * key), the same steps as libs/transform (transformMessage) and the transformer's batch handler.
 * Events are real ones captured from the connector (bench/capture-events.ts).
 *
 *   node -r @swc-node/register bench/mapping.bench.ts [--runs 7] [--run-ms 1000] [--warmup-ms 1500]
 *
 * One thread, so events/s is events/s per core. Results: bench/results/mapping.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DebeziumEnvelope, type SourceCoordinates, type WriteCommand, writeCommandKey } from '@pg2ddb/contracts';
import { compileMapping, type CompiledMapping, EnvelopeDecoder, loadMapping, mapChange, parseJsonLossless } from '@pg2ddb/mapping';
import type { KafkaMessage } from 'kafkajs';
import { transformMessage } from '@pg2ddb/transform';
import { isSnapshot, sourceVersion } from '@pg2ddb/sync';
import type { CapturedEvents } from './capture-events';
import { parseFlags } from './support/bench-args';
import { round, summarize, type Summary } from './support/bench-stats';
import { machineInfo } from './support/machine-info';
import { writeResults } from './support/results-file';

const HELP = `usage: node -r @swc-node/register bench/mapping.bench.ts [--runs N] [--run-ms MS] [--warmup-ms MS] [--breakdown true|false] [--only CASE,..] [--out FILE]
  --only: run only these cases (e.g. payments.payments.r), for profiling one path`;

/** A benchmark case: a mapping and the raw events it transforms, cycled. */
interface BenchCase {
  name: string;
  description: string;
  mapping: CompiledMapping;
  topic: string;
  values: Buffer[];
  /** The Kafka key of each event (the transformer checks it names the same row as the value). */
  keys: Array<Buffer | null>;
}

// Not @pg2ddb/service's repoRoot: that lib pulls in Nest, whose load would inflate the memory figures.
const root = join(__dirname, '..');
let sink = 0; // every result feeds this, so the optimiser cannot drop the work

/** One unit of work on the i-th event of a case; returns a number that depends on the result. */
type Step = (index: number) => number;

/**
 * The transformer's whole per-event path: its own `transformMessage` (decode with the schema
 * cache, source version, mapChange), then what its batch handler does with each command.
 */
function fullPath(benchCase: BenchCase): Step {
  const { values, keys, mapping, topic } = benchCase;
  const messages = values.map((value, offset) => ({ key: keys[offset] ?? null, value, offset: String(offset), timestamp: '0', attributes: 0, headers: {} }) as KafkaMessage);
  return (index) => {
    const outcome = transformMessage(mapping, topic, 0, messages[index % messages.length] as KafkaMessage);
    if (outcome.kind !== 'commands') throw new Error(`${benchCase.name}: the transformer did not map the event (${outcome.kind === 'dead' ? outcome.message : outcome.kind})`);
    return serialize(outcome.commands);
  };
}

/**
 * Each step of the path alone, on inputs prepared by the previous steps, so the breakdown is
 * measured directly rather than as a difference of two noisy figures.
 */
function stageSteps(benchCase: BenchCase): Record<string, Step> {
  const { values, mapping } = benchCase;
  const texts = values.map((value) => value.toString('utf8'));
  const decoder = new EnvelopeDecoder();
  const envelopes = texts.map((text) => parseJsonLossless(text) as DebeziumEnvelope);
  const contexts = envelopes.map((envelope, index) => ({
    version: sourceVersion(envelope.payload.source, envelope.payload.op),
    source: coordinates(benchCase, envelope, index),
  }));
  const outputs = envelopes.map((envelope, index) => mapChange(mapping, envelope, contexts[index] as (typeof contexts)[number]));
  const n = values.length;
  return {
    // As the transformer decodes: the Connect schema parsed once per distinct text, then cached.
    decodeUs: (index) => (decoder.decode(values[index % n] as Buffer) as DebeziumEnvelope).payload.op.length,
    // The whole text parsed every time (the transformer's decode before the schema cache).
    decodeLosslessUs: (index) => (parseJsonLossless((values[index % n] as Buffer).toString('utf8')) as DebeziumEnvelope).payload.op.length,
    sourceVersionUs: (index) => {
      const { payload } = envelopes[index % n] as DebeziumEnvelope;
      return sourceVersion(payload.source, payload.op).length;
    },
    mapChangeUs: (index) => mapChange(mapping, envelopes[index % n] as DebeziumEnvelope, contexts[index % n] as (typeof contexts)[number]).length,
    stringifyAndKeyUs: (index) => serialize(outputs[index % n] as WriteCommand[]),
    // Not lossless (rounds integers beyond 2^53): shows only what the lossless parser costs.
    jsonParseReferenceUs: (index) => (JSON.parse((values[index % n] as Buffer).toString('utf8')) as DebeziumEnvelope).payload.op.length,
  };
}

/** What the handler does with each command: its Kafka key and its JSON value. */
function serialize(commands: readonly WriteCommand[]): number {
  let bytes = 0;
  for (const command of commands) bytes += writeCommandKey(command).length + JSON.stringify(command).length;
  return bytes;
}

/** The event's source coordinates, built as the transformer builds them. */
function coordinates(benchCase: BenchCase, envelope: DebeziumEnvelope, offset: number): SourceCoordinates {
  const { source } = envelope.payload;
  return {
    topic: benchCase.topic,
    partition: 0,
    offset: String(offset),
    schema: source.schema,
    table: source.table,
    lsn: source.lsn === undefined || source.lsn === null ? null : String(source.lsn),
    txId: source.txId === undefined || source.txId === null ? null : String(source.txId),
    snapshot: isSnapshot(source),
    committedAtMs: Number(source.ts_ms),
  };
}

/** Runs `count` steps; returns elapsed nanoseconds. */
function timed(step: Step, count: number, first: number): bigint {
  const started = process.hrtime.bigint();
  for (let index = first; index < first + count; index++) sink += step(index);
  return process.hrtime.bigint() - started;
}

interface Measurement {
  /** Wall-clock events/s of one thread, per run. */
  eventsPerSecond: Summary;
  /**
   * Events per CPU-second of the process (GC helper threads included), per run: on a shared,
   * busy machine this is the steadier "per core" figure, as time spent descheduled does not count.
   */
  eventsPerCpuSecond: Summary;
  microsecondsPerEvent: number;
  eventsPerRun: number;
}

function measure(step: Step, flags: Flags): Measurement {
  // Warm up until the JIT has settled, and size the runs from the warm speed.
  let warmed = 0;
  let count = 200;
  const warmupEnd = Date.now() + flags['warmup-ms'];
  let lastRate = 0;
  while (Date.now() < warmupEnd) {
    const ns = timed(step, count, warmed);
    warmed += count;
    lastRate = count / (Number(ns) / 1e9);
    count = Math.max(200, Math.round(lastRate / 20));
  }
  const perRun = Math.max(1000, Math.round((lastRate * flags['run-ms']) / 1000));
  const rates: number[] = [];
  const cpuRates: number[] = [];
  let totalNs = 0n;
  for (let run = 0; run < flags.runs; run++) {
    const cpuBefore = process.cpuUsage();
    const ns = timed(step, perRun, warmed + run * perRun);
    const cpu = process.cpuUsage(cpuBefore);
    totalNs += ns;
    rates.push(perRun / (Number(ns) / 1e9));
    cpuRates.push(perRun / ((cpu.user + cpu.system) / 1e6));
  }
  return {
    eventsPerSecond: roundSummary(summarize(rates)),
    eventsPerCpuSecond: roundSummary(summarize(cpuRates)),
    microsecondsPerEvent: round(Number(totalNs) / 1e3 / (perRun * flags.runs), 2),
    eventsPerRun: perRun,
  };
}

function roundSummary(summary: Summary): Summary {
  return {
    median: Math.round(summary.median),
    min: Math.round(summary.min),
    max: Math.round(summary.max),
    mean: Math.round(summary.mean),
    spreadPct: round(summary.spreadPct, 1),
    samples: summary.samples.map((sample) => Math.round(sample)),
  };
}

/** What one event of the case turns into (checked once before timing). */
function describeOutput(benchCase: BenchCase): { eventBytes: number; commands: number; commandOps: string[]; commandBytes: number } {
  const value = benchCase.values[0] as Buffer;
  const envelope = parseJsonLossless(value.toString('utf8')) as DebeziumEnvelope;
  const version = sourceVersion(envelope.payload.source, envelope.payload.op);
  const source = coordinates(benchCase, envelope, 0);
  const commands = mapChange(benchCase.mapping, envelope, { version, source });
  if (commands.length === 0) throw new Error(`${benchCase.name}: the event maps to no command`);
  return {
    eventBytes: value.length,
    commands: commands.length,
    commandOps: commands.map((command) => command.op),
    commandBytes: commands.reduce((sum, command) => sum + JSON.stringify(command).length, 0),
  };
}

/** Loads captured events and the mapping they were captured for (its source schema set to theirs). */
function loadCapture(name: string): { capture: CapturedEvents; mapping: CompiledMapping } {
  const path = join(root, 'bench/fixtures', `${name}.events.json`);
  let capture: CapturedEvents;
  try {
    capture = JSON.parse(readFileSync(path, 'utf8')) as CapturedEvents;
  } catch (error) {
    throw new Error(`cannot read ${path} (${(error as Error).message}); capture events with: node -r @swc-node/register bench/capture-events.ts`);
  }
  const file = join(root, capture.mappingFile);
  const definition = loadMapping(readFileSync(file, 'utf8'), file);
  for (const entity of definition.entities) entity.source.schema = capture.schema;
  return { capture, mapping: compileMapping(definition, file) };
}

function casesFrom(name: string, wanted: Array<{ table: string; op: string; description: string }>): BenchCase[] {
  const { capture, mapping } = loadCapture(name);
  return wanted.map(({ table, op, description }) => {
    const events = capture.events.filter((event) => event.table === table && event.op === op);
    const values = events.map((event) => Buffer.from(event.value, 'utf8'));
    const keys = events.map((event) => (typeof event.key === 'string' ? Buffer.from(event.key, 'utf8') : null));
    if (values.length === 0) throw new Error(`bench/fixtures/${name}.events.json has no ${table} ${op} event; capture again`);
    return { name: `${name}.${table}.${op}`, description, mapping, topic: `${capture.prefix}.${capture.schema}.${table}`, values, keys };
  });
}

interface Flags extends Record<string, number | string | boolean> {
  runs: number;
  'run-ms': number;
  'warmup-ms': number;
  breakdown: boolean;
  only: string;
  out: string;
}

function main(): void {
  const flags = parseFlags<Flags>(process.argv.slice(2), { runs: 7, 'run-ms': 1000, 'warmup-ms': 1500, breakdown: true, only: '', out: join(root, 'bench/results/mapping.json') }, HELP);
  const cases = [
    ...casesFrom('payments', [
      { table: 'payments', op: 'r', description: 'payments snapshot read (initial load)' },
      { table: 'payments', op: 'c', description: 'payments insert' },
      { table: 'payments', op: 'u', description: 'payments update, REPLICA IDENTITY FULL (before + after)' },
      { table: 'payments', op: 'd', description: 'payments delete (before only)' },
    ]),
    ...casesFrom('ecommerce', [
      { table: 'products', op: 'c', description: 'product insert: jsonb attributes (nested), text[] as a string set, uuid, numeric' },
      { table: 'orders', op: 'u', description: 'order update: jsonb address, enum, numeric; REPLICA IDENTITY FULL (before + after)' },
      { table: 'users', op: 'c', description: 'user insert: jsonb preferences, enum, lower-cased GSI key' },
      { table: 'order_items', op: 'r', description: 'order item snapshot read (own item under the order)' },
    ]),
  ];
  const only = flags.only.split(',').filter(Boolean);
  if (only.length > 0) {
    const unknown = only.filter((name) => !cases.some((benchCase) => benchCase.name === name));
    if (unknown.length > 0) throw new Error(`--only: no case ${unknown.join(', ')}; cases: ${cases.map((benchCase) => benchCase.name).join(', ')}`);
    cases.splice(0, cases.length, ...cases.filter((benchCase) => only.includes(benchCase.name)));
  }
  // Before any benchmark: most of the RSS is Node and the SWC compiler that loaded the sources.
  const startMemory = process.memoryUsage();
  const headlineCases = new Set(['payments.payments.r', 'ecommerce.products.c']);

  const results = [];
  for (const benchCase of cases) {
    const output = describeOutput(benchCase);
    const full = measure(fullPath(benchCase), flags);
    let breakdown: Record<string, number> | undefined;
    if (flags.breakdown && headlineCases.has(benchCase.name)) {
      breakdown = {};
      for (const [name, step] of Object.entries(stageSteps(benchCase))) breakdown[name] = measure(step, flags).microsecondsPerEvent;
    }
    const memory = process.memoryUsage();
    results.push({
      case: benchCase.name,
      description: benchCase.description,
      ...output,
      ...full,
      ...(breakdown ? { breakdownMicrosecondsPerEvent: breakdown } : {}),
      memoryAfterMiB: { rss: mib(memory.rss), heapUsed: mib(memory.heapUsed), heapTotal: mib(memory.heapTotal) },
    });
    const wall = full.eventsPerSecond;
    const line = `${benchCase.name.padEnd(24)} ${wall.median.toLocaleString('en-US').padStart(6)} events/s/core (runs ${wall.min.toLocaleString('en-US')}–${wall.max.toLocaleString('en-US')}), ${full.eventsPerCpuSecond.median.toLocaleString('en-US')} per CPU-s  ${output.eventBytes} B → ${output.commands} ${output.commandOps.join('+')} ${output.commandBytes} B`;
    process.stdout.write(`${line}\n`);
    if (breakdown) {
      process.stdout.write(
        `${''.padEnd(24)} µs/event: decode ${breakdown.decodeUs} (whole text every time ${breakdown.decodeLosslessUs}, JSON.parse of it ${breakdown.jsonParseReferenceUs}) · version ${breakdown.sourceVersionUs} · mapChange ${breakdown.mapChangeUs} · stringify+key ${breakdown.stringifyAndKeyUs}\n`,
      );
    }
  }
  const usage = process.resourceUsage();
  writeResults(flags.out, {
    benchmark: 'mapping',
    what: "transformer per-event CPU work: its transformMessage (Buffer → toString → EnvelopeDecoder (schema cached) → sourceVersion → mapChange) → JSON.stringify + writeCommandKey per command; real captured Debezium events (schemas.enable=true)",
    method: { runs: flags.runs, runMs: flags['run-ms'], warmupMs: flags['warmup-ms'], threads: 1, figure: 'median events/s of the runs; spreadPct = (max-min)/median' },
    machine: machineInfo(),
    memoryMiB: {
      rssAtStart: mib(startMemory.rss),
      heapUsedAtStart: mib(startMemory.heapUsed),
      peakRss: round(usage.maxRSS / 1024, 1),
      note: 'RSS includes Node itself and the SWC compiler loaded by -r @swc-node/register; per-case heapUsed is sampled after the case',
    },
    cases: results,
    sink,
  });
  const headline = results.find((result) => result.case === 'payments.payments.r');
  process.stdout.write(
    `mapping: payments snapshot event ${headline?.eventsPerSecond.median.toLocaleString('en-US')} events/s per core (median of ${flags.runs} runs; ${headline?.eventsPerCpuSecond.median.toLocaleString('en-US')} per CPU-second), peak RSS ${round(usage.maxRSS / 1024, 0)} MiB → ${flags.out}\n`,
  );
}

function mib(bytes: number): number {
  return round(bytes / 2 ** 20, 1);
}

main();
