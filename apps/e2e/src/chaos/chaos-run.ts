import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { changeTopic, topicNames } from '@pg2ddb/contracts';
import { ConnectClient, connectorName, consumerLag, createKafka, defaultSlotName, renderConnectorConfig, type ConnectorConfig } from '@pg2ddb/kafka';
import { dropPublication, dropReplicationSlot } from '@pg2ddb/postgres';
import { repoRoot, type ServiceName, type ServiceProcess } from '@pg2ddb/service';
import { pgConnection, TestPipeline } from '@pg2ddb/testing';
import type { Consumer, Kafka } from 'kafkajs';
import { compareStores, ECOMMERCE_ENTITIES, PAYMENTS_ENTITIES, type CompareEntity, type CompareResult } from './chaos-compare';
import type { StackComponent } from './chaos-stack';
import { seededRandom, sleep, Workload, workloadSteps } from './chaos-workload';

/** Every kind of fault the suite injects. */
export const FAULT_KINDS = [
  'writer kill -9',
  'transformer kill -9',
  'reconciler kill -9',
  'connect kill -9 (snapshot)',
  'connect kill -9 (streaming)',
  'kafka broker kill -9',
  'dynamodb SIGSTOP',
  'postgres restart',
  'writer rebalance (replica joins and leaves)',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** What the faults act on: the chaos suite's own stack, or private parts of the shared one. */
export interface ChaosInfra {
  /** Signals a component; a fatal signal resolves once the process is gone. */
  signal(component: StackComponent, signal: NodeJS.Signals): Promise<void>;
  /** Starts whatever is down again; resolves when it answers. */
  start(): Promise<void>;
  /** Kafka Connect and DynamoDB of the pipelines (default: the stack's). */
  connectUrl?: string;
  dynamoEndpoint?: string;
}

export interface ChaosOptions {
  stack: ChaosInfra;
  /** The examples driven (default both). */
  examples?: ReadonlyArray<'payments' | 'ecommerce'>;
  /** Faults of each kind (one of each per round). */
  faults: number;
  /** Seed rows of each example. */
  rows: number;
  seed: number;
  /** How long DynamoDB stays frozen. */
  freezeMs: number;
  /** Only these kinds (default all; the short version in the main suite picks a few). */
  kinds?: readonly FaultKind[];
  /** The services each example runs (default transformer, writer and reconciler). */
  services?: readonly ServiceName[];
  log: (line: string) => void;
  /** Told the results so far after each round (e.g. to write the table: a cut-short run keeps its figures). */
  onRound?: (partial: ChaosResult) => void;
}

export interface RoundResult {
  round: number;
  faults: FaultKind[];
  compare: CompareResult;
  deadLettered: number;
  convergeMs: number;
}

export interface ChaosResult {
  faults: Record<FaultKind, number>;
  rounds: RoundResult[];
  workload: Workload['counts'];
  wallMs: number;
}

interface Example {
  name: 'payments' | 'ecommerce';
  pipeline: TestPipeline;
  entities: CompareEntity[];
  /** The connector currently capturing the example's tables (replaced by the snapshot fault). */
  connector: string;
  slot: string;
  generation: number;
  services: readonly ServiceName[];
}

const EXAMPLES = ['payments', 'ecommerce'] as const;
const SERVICES: ServiceName[] = ['transformer', 'writer', 'reconciler'];

/**
 * The chaos run: both examples under a mixed workload, rounds of faults, and after each round a
 * wait for the pipeline to go idle and a comparison of PostgreSQL with DynamoDB.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const started = Date.now();
  const kinds = options.kinds ?? FAULT_KINDS;
  const random = seededRandom(options.seed);
  const examples: Example[] = [];
  const faults = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
  const rounds: RoundResult[] = [];
  let workload: Workload | undefined;
  let kafka: Kafka | undefined;
  try {
    for (const name of options.examples ?? EXAMPLES) examples.push(await startExample(name, options.rows, options.stack, options.services ?? SERVICES));
    // Idle pool clients see PostgreSQL restarts as errors: expected here, and the pool replaces them.
    for (const example of examples) example.pipeline.pg.on('error', () => undefined);
    kafka = createKafka({ brokers: (examples[0]!.pipeline.env.PG2DDB_KAFKA_BROKERS as string).split(','), clientId: 'chaos' });
    await Promise.all(examples.map((example) => waitIdle(example, kafka!, 300_000)));
    workload = new Workload(
      examples.map((example) => ({ pg: example.pipeline.pg, schema: example.pipeline.names.schema, steps: workloadSteps(example.name) })),
      random,
    );
    for (let round = 1; round <= options.faults; round++) {
      const injected: FaultKind[] = [];
      const dlqBefore = await dlqSize(kafka, examples);
      workload.start();
      await sleep(1000 + random() * 3000);
      const roundStarted = Date.now();
      const count = (kind: FaultKind) => {
        faults[kind]++;
        injected.push(kind);
      };
      const target = () => examples[Math.floor(random() * examples.length)] as Example;

      // 1. DynamoDB frozen for freezeMs; meanwhile service crashes, a rebalance, a PostgreSQL
      //    restart, a broker crash and a Connect crash while streaming, at random offsets inside
      //    the window (several faults at once, as in a bad hour in production).
      const during: Array<Promise<void>> = [];
      const at = (kind: FaultKind, action: () => Promise<void>) => {
        if (!kinds.includes(kind)) return;
        during.push(sleep(random() * options.freezeMs * 0.6).then(action).then(() => count(kind)));
      };
      const frozen = kinds.includes('dynamodb SIGSTOP');
      if (frozen) {
        await options.stack.signal('dynamodb', 'SIGSTOP');
        // Thawed on time whatever the other faults wait for (a restarted writer may wait for DynamoDB).
        during.push(sleep(options.freezeMs).then(async () => {
          await options.stack.signal('dynamodb', 'SIGCONT');
          count('dynamodb SIGSTOP');
        }));
      }
      at('writer kill -9', () => killAndStart(target(), 'writer'));
      at('transformer kill -9', () => killAndStart(target(), 'transformer'));
      at('reconciler kill -9', () => killAndStart(target(), 'reconciler'));
      at('writer rebalance (replica joins and leaves)', () => rebalance(target(), 3000 + random() * 5000));
      at('postgres restart', async () => {
        await options.stack.signal('postgres', 'SIGINT');
        await options.stack.start();
      });
      at('kafka broker kill -9', async () => {
        await options.stack.signal('kafka', 'SIGKILL');
        await sleep(500 + random() * 2000);
        await options.stack.start();
      });
      at('connect kill -9 (streaming)', async () => {
        await options.stack.signal('connect', 'SIGKILL');
        await sleep(500 + random() * 2000);
        await options.stack.start();
      });
      const settled = await Promise.allSettled(during);
      const phases: string[] = [`window ${seconds(roundStarted)}`];
      // A fault the harness could not carry out is reported and not counted; the run goes on.
      for (const outcome of settled) if (outcome.status === 'rejected') options.log(`  a fault could not be injected: ${String(outcome.reason).split('\n')[0]}`);

      await healServices(examples, options.log);
      phases.push(`healed ${seconds(roundStarted)}`);

      // 2. Connect killed during an initial snapshot: one example's connector is replaced by a new
      //    one (new slot: a new initial snapshot), and the worker is killed while it reads.
      if (kinds.includes('connect kill -9 (snapshot)')) {
        for (let attempt = 0; attempt < 4; attempt++) {
          const outcome = await snapshotCrash(options.stack, target(), kafka, random).catch((error: unknown) => {
            // Reported, not counted; the round goes on (a stuck harness step is no pipeline finding).
            options.log(`  a fault could not be injected: connect kill -9 (snapshot): ${String(error).split('\n')[0]}`);
            return false;
          });
          if (outcome) {
            count('connect kill -9 (snapshot)');
            break;
          }
        }
      }

      phases.push(`snapshot ${seconds(roundStarted)}`);
      await workload.stop();
      const stopped = Date.now();
      await healServices(examples, options.log);
      const compare = await converge(examples, kafka, 240_000, options.log);
      const convergeMs = Date.now() - stopped;
      const deadLettered = (await dlqSize(kafka, examples)) - dlqBefore;
      const result: RoundResult = { round, faults: injected, compare, deadLettered, convergeMs };
      rounds.push(result);
      options.onRound?.({ faults: { ...faults }, rounds: [...rounds], workload: { ...workload.counts }, wallMs: Date.now() - started });
      options.log(
        `round ${round}: ${injected.length} faults, ${compare.rows} rows, lost ${compare.lost.length}, stale ${compare.stale.length}, extra ${compare.extra.length}, dead-lettered ${deadLettered}, converged in ${(convergeMs / 1000).toFixed(1)} s (faults done at ${phases.join(', ')})` +
          (compare.lost.length + compare.stale.length + compare.extra.length > 0 ? `\n  ${[...compare.lost, ...compare.stale, ...compare.extra].slice(0, 20).join('\n  ')}` : ''),
      );
    }
    return { faults, rounds, workload: workload.counts, wallMs: Date.now() - started };
  } finally {
    await workload?.stop();
    for (const example of examples) {
      const connect = new ConnectClient(example.pipeline.connectUrl);
      if (example.connector !== connectorName(example.pipeline.names.prefix)) {
        await connect.delete(example.connector).catch(() => false);
        await dropReplicationSlot(example.pipeline.pg, example.slot).catch(() => false);
        await dropPublication(example.pipeline.pg, example.slot).catch(() => undefined);
      }
      await example.pipeline.stop().catch(() => undefined);
    }
  }
}

async function startExample(name: 'payments' | 'ecommerce', rows: number, infra: ChaosInfra, services: readonly ServiceName[]): Promise<Example> {
  const dir = join(repoRoot(), 'examples', name);
  const schemaSql = `${readFileSync(join(dir, 'schema.sql'), 'utf8')}\n${readFileSync(join(dir, 'seed.sql'), 'utf8').replaceAll('{{rows}}', String(rows))}`;
  const pipeline = await TestPipeline.start({
    mapping: readFileSync(join(dir, 'mapping.yaml'), 'utf8'),
    schemaSql,
    services: [...services],
    ...(infra.connectUrl ? { connectUrl: infra.connectUrl } : {}),
    ...(infra.dynamoEndpoint ? { dynamoEndpoint: infra.dynamoEndpoint } : {}),
    serviceEnv: { reconciler: { PG2DDB_RECONCILE_INTERVAL_SECONDS: '10', PG2DDB_RECONCILE_REPAIR: 'false' } },
  });
  return {
    name,
    pipeline,
    entities: name === 'payments' ? PAYMENTS_ENTITIES : ECOMMERCE_ENTITIES,
    connector: connectorName(pipeline.names.prefix),
    slot: defaultSlotName(pipeline.names.prefix),
    generation: 0,
    services,
  };
}

async function killAndStart(example: Example, service: ServiceName): Promise<void> {
  await example.pipeline.killService(service);
  await startSupervised(() => example.pipeline.startService(service));
}

/**
 * Starts a service as its supervisor (Kubernetes) would: a service started while the broker is
 * down exits with an error, and is started again after a pause, until it is ready.
 */
async function startSupervised(start: () => Promise<void>, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await start();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(2000);
    }
  }
}

/** A second writer joins the group (partitions move to it), works for a while and leaves. */
async function rebalance(example: Example, holdMs: number): Promise<void> {
  const { pipeline } = example;
  let replica: ServiceProcess | undefined;
  try {
    await startSupervised(async () => {
      replica = await pipeline.startReplica('writer', `writer-replica-${Date.now()}`);
    });
    await sleep(holdMs);
  } finally {
    await replica?.stop();
  }
}

/** Restarts any service that no longer answers its liveness probe (e.g. it exited while the broker was down). */
async function healServices(examples: Example[], log: (line: string) => void): Promise<void> {
  for (const example of examples) {
    for (const service of example.services) {
      let live = false;
      try {
        live = (await fetch(`${example.pipeline.serviceUrl(service)}/health/live`, { signal: AbortSignal.timeout(3000) })).status === 200;
      } catch {
        live = false;
      }
      if (!live) {
        log(`  ${example.name} ${service} not live: restarted`);
        await startSupervised(() => example.pipeline.restartService(service));
      }
    }
  }
}

/**
 * Replaces the example's connector by a new one with a new slot, so Debezium takes a new initial
 * snapshot, and kills the Connect worker while that snapshot is being read. Returns false when the
 * snapshot finished before the kill (then it counts as no snapshot fault).
 */
async function snapshotCrash(stack: ChaosInfra, example: Example, kafka: Kafka, random: () => number): Promise<boolean> {
  const { pipeline } = example;
  const connect = new ConnectClient(pipeline.connectUrl);
  await connect.delete(example.connector);
  await dropSlotWhenFree(pipeline, example.slot);
  example.generation++;
  const slot = `${defaultSlotName(pipeline.names.prefix)}_g${example.generation}`;
  const config = connectorConfig(pipeline, slot);
  config.name = `${connectorName(pipeline.names.prefix)}-g${example.generation}`;
  // One record per produce batch: the snapshot takes seconds instead of a fraction of one.
  Object.assign(config.config, {
    'producer.override.batch.size': '1',
    'producer.override.linger.ms': '0',
  });
  const watch = await watchSnapshot(kafka, pipeline);
  try {
    await connect.apply(config);
    example.connector = config.name;
    example.slot = slot;
    // Some reads, not all: kill between a few and most of the example's rows.
    await waitFor(() => watch.reads > 20 + random() * 200 || watch.completed, 120_000);
    await stack.signal('connect', 'SIGKILL');
    const interrupted = !watch.completed;
    await sleep(500 + random() * 1500);
    await stack.start();
    await connect.waitUntilRunning(config.name, 120_000);
    return interrupted;
  } finally {
    await watch.stop();
  }
}

function connectorConfig(pipeline: TestPipeline, slot: string): ConnectorConfig {
  const env = pipeline.env;
  return renderConnectorConfig(readFileSync(join(repoRoot(), 'infra/debezium/postgres-connector.json'), 'utf8'), {
    topicPrefix: pipeline.names.prefix,
    database: { ...pgConnection(env), dbname: env.PG2DDB_PG_DATABASE as string },
    tables: pipeline.mapping.sourceTables().map(({ schema, table }) => `${schema}.${table}`),
    slotName: slot,
  });
}

async function dropSlotWhenFree(pipeline: TestPipeline, slot: string): Promise<void> {
  // The deleted connector's task lets go of its replication connection a moment later; one whose
  // task hangs (e.g. after a broker crash) keeps it: then its walsender is ended, as an operator would.
  const free = async () => {
    const active = await pipeline.pg.query<{ active: boolean }>('SELECT active FROM pg_replication_slots WHERE slot_name = $1', [slot]);
    return active.rows.length === 0 || !active.rows[0]!.active;
  };
  await waitFor(free, 20_000).catch(async () => {
    await pipeline.pg.query('SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1 AND active_pid IS NOT NULL', [slot]);
    await waitFor(free, 60_000);
  });
  await dropReplicationSlot(pipeline.pg, slot).catch(() => false);
  await dropPublication(pipeline.pg, slot).catch(() => undefined);
}

/** Counts the snapshot reads on the example's change topics from now on, and sees the snapshot's last one. */
async function watchSnapshot(kafka: Kafka, pipeline: TestPipeline): Promise<{ reads: number; completed: boolean; stop: () => Promise<void> }> {
  const state = { reads: 0, completed: false, stop: async () => undefined as void };
  const consumer: Consumer = kafka.consumer({ groupId: `${pipeline.names.id}-watch-${Date.now()}` });
  await consumer.connect();
  const topics = pipeline.mapping.sourceTables().map(({ schema, table }) => changeTopic(pipeline.names.prefix, schema, table));
  await consumer.subscribe({ topics, fromBeginning: false });
  await consumer.run({
    eachMessage: async ({ message }) => {
      if (!message.value) return;
      const payload = (JSON.parse(message.value.toString()) as { payload?: { op?: string; source?: { snapshot?: string } } }).payload;
      if (payload?.op !== 'r') return;
      state.reads++;
      if (payload.source?.snapshot === 'last') state.completed = true;
    },
  });
  // A consumer starting "from the end" must have its assignment before the connector writes.
  await sleep(3000);
  state.stop = () => consumer.disconnect();
  return state;
}

/** Waits until the example's consumers have read everything and the connector runs. */
async function waitIdle(example: Example, kafka: Kafka, timeoutMs: number, log?: (line: string) => void): Promise<void> {
  const { prefix } = example.pipeline.names;
  const started = Date.now();
  let said = 0;
  const changeTopics = example.pipeline.mapping.sourceTables().map(({ schema, table }) => changeTopic(prefix, schema, table));
  await waitFor(async () => {
      const status = await new ConnectClient(example.pipeline.connectUrl).status(example.connector).catch(() => undefined);
      if (status?.tasks.some((task) => task.state === 'FAILED')) {
        await fetch(`${example.pipeline.connectUrl}/connectors/${encodeURIComponent(example.connector)}/restart?includeTasks=true&onlyFailed=true`, { method: 'POST' }).catch(() => undefined);
        return false;
      }
      if (status?.connector.state !== 'RUNNING' || status.tasks[0]?.state !== 'RUNNING') {
        if (log && Date.now() - started > 30_000 * (said + 1)) {
          said++;
          log(`  ${example.name}: connector ${example.connector} not running after ${seconds(started)}: ${JSON.stringify(status ?? 'absent').slice(0, 300)}`);
        }
        return false;
      }
      const transformerLag = await consumerLag(kafka, `${prefix}.transformer`, changeTopics);
      const writerLag = await consumerLag(kafka, `${prefix}.writer`, [topicNames(prefix).writes]);
      const idle = transformerLag === 0 && writerLag === 0;
      if (!idle && log && Date.now() - started > 30_000 * (said + 1)) {
        said++;
        log(`  ${example.name}: not idle after ${seconds(started)}: transformer lag ${transformerLag}, writer lag ${writerLag}`);
      }
      return idle;
    }, timeoutMs);
}

/** Waits for idle, then compares until both stores agree (or the time is up: the last comparison is the result). */
async function converge(examples: Example[], kafka: Kafka, timeoutMs: number, log: (line: string) => void): Promise<CompareResult> {
  const deadline = Date.now() + timeoutMs;
  let last: CompareResult | undefined;
  while (Date.now() < deadline) {
    await Promise.all(examples.map((example) => waitIdle(example, kafka, Math.max(1000, deadline - Date.now()), log).catch(() => undefined)));
    const results = await Promise.all(examples.map((example) => compareStores(example.pipeline.pg, example.pipeline.names.schema, example.pipeline.dynamo, example.pipeline.names.table, example.entities)));
    last = results.reduce((sum, result) => ({
      rows: sum.rows + result.rows,
      items: sum.items + result.items,
      lost: [...sum.lost, ...result.lost],
      stale: [...sum.stale, ...result.stale],
      extra: [...sum.extra, ...result.extra],
    }));
    if (last.lost.length + last.stale.length + last.extra.length === 0) return last;
    await sleep(2000);
  }
  return last as CompareResult;
}

async function dlqSize(kafka: Kafka, examples: Example[]): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    let total = 0;
    for (const example of examples) {
      const topic = topicNames(example.pipeline.names.prefix).dlq;
      const offsets = await admin.fetchTopicOffsets(topic).catch(() => []);
      for (const partition of offsets) total += Number(partition.high) - Number(partition.low);
    }
    return total;
  } finally {
    await admin.disconnect();
  }
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(0)} s`;
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** The results table, in Markdown. */
export function resultsTable(result: ChaosResult, title: string): string {
  const rows = result.rounds;
  const sum = (pick: (round: RoundResult) => number) => rows.reduce((total, round) => total + pick(round), 0);
  const converge = rows.map((round) => round.convergeMs / 1000).sort((a, b) => a - b);
  const p = (q: number) => (converge.length === 0 ? 0 : (converge[Math.min(converge.length - 1, Math.floor(q * converge.length))] as number));
  const lines = [
    `## ${title}`,
    '',
    '| fault | injected |',
    '| --- | ---: |',
    ...FAULT_KINDS.map((kind) => `| ${kind} | ${result.faults[kind]} |`),
    '',
    '| rounds | rows compared (last round) | row comparisons (all rounds) | lost | stale | extra | dead-lettered | time to converge: median / max |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${rows.length} | ${rows[rows.length - 1]?.compare.rows ?? 0} | ${sum((r) => r.compare.rows)} | ${sum((r) => r.compare.lost.length)} | ${sum((r) => r.compare.stale.length)} | ${sum((r) => r.compare.extra.length)} | ${sum((r) => r.deadLettered)} | ${p(0.5).toFixed(1)} s / ${(converge[converge.length - 1] ?? 0).toFixed(1)} s |`,
    '',
    `Workload: ${result.workload.inserts} inserts, ${result.workload.updates} updates, ${result.workload.deletes} deletes, ${result.workload.keyChanges} key changes (${result.workload.failures} statements failed while PostgreSQL restarted). Wall time ${(result.wallMs / 60000).toFixed(1)} min.`,
    '',
  ];
  return lines.join('\n');
}
