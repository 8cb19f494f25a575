import { PrivateConnectWorker, PrivateDynamoEmulator, readStackEnv } from '@pg2ddb/testing';
import { FAULT_KINDS, resultsTable, runChaos, type FaultKind } from './chaos/chaos-run';

// The short chaos run of the main suite: the payments example (transformer and writer) under the
// mixed workload, one round with one fault of a few kinds that private parts of the shared stack
// allow (the suite's own Connect worker, killed mid-snapshot, and DynamoDB emulator; the shared
// broker and PostgreSQL are left alone — `npm run chaos` kills those, the reconciler, and Connect
// while streaming, on a stack of its own), then PostgreSQL and DynamoDB must agree.
const KINDS: FaultKind[] = [
  'writer kill -9',
  'transformer kill -9',
  'connect kill -9 (snapshot)',
  'dynamodb SIGSTOP',
  'writer rebalance (replica joins and leaves)',
];

describe('chaos, short', () => {
  let worker: PrivateConnectWorker;
  let emulator: PrivateDynamoEmulator;

  beforeAll(async () => {
    [worker, emulator] = await Promise.all([PrivateConnectWorker.start(readStackEnv().PG2DDB_KAFKA_BROKERS as string), PrivateDynamoEmulator.start()]);
  }, 180_000);

  afterAll(async () => {
    await worker?.destroy();
    await emulator?.destroy();
  });

  it('converges after one fault of each kind it can inject here: nothing lost, stale or extra', async () => {
    const result = await runChaos({
      stack: {
        connectUrl: worker.url,
        dynamoEndpoint: emulator.endpoint,
        signal: async (component, signal) => {
          if (component === 'dynamodb' && signal === 'SIGSTOP') return emulator.freeze();
          if (component === 'dynamodb' && signal === 'SIGCONT') return emulator.thaw();
          if (component === 'connect' && signal === 'SIGKILL') return worker.kill();
          throw new Error(`the short chaos run does not ${signal} ${component}`);
        },
        start: async () => {
          if (worker.pid === undefined) await worker.resume();
        },
      },
      examples: ['payments'],
      services: ['transformer', 'writer'],
      kinds: KINDS,
      faults: 1,
      rows: 400,
      seed: Number(process.env.PG2DDB_CHAOS_SEED ?? 7),
      freezeMs: 5000,
      log: (line) => process.stdout.write(`[chaos-short] ${line}\n`),
    });
    process.stdout.write(`${resultsTable(result, 'Chaos, short (payments, 1 round, DynamoDB frozen 5 s)')}\n`);
    for (const kind of FAULT_KINDS) expect({ kind, injected: result.faults[kind] }).toEqual({ kind, injected: KINDS.includes(kind) ? 1 : 0 });
    const [round] = result.rounds;
    expect(round?.compare.rows).toBeGreaterThan(300);
    expect({ lost: round?.compare.lost, stale: round?.compare.stale, extra: round?.compare.extra }).toEqual({ lost: [], stale: [], extra: [] });
  }, 240_000);
});
