import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@pg2ddb/service';
import { readStackEnv } from '@pg2ddb/testing';
import { ChaosStack } from './chaos-stack';
import { FAULT_KINDS, resultsTable, runChaos, type ChaosResult } from './chaos-run';

// `npm run chaos`: the payments and e-commerce examples under a mixed insert/update/delete/key-change
// workload on a stack of the suite's own, and N rounds of faults of every kind (PG2DDB_CHAOS_FAULTS,
// default 20). After each round the pipeline must converge: no row lost, no stale item, no extra
// item. The table goes to apps/e2e/chaos-results/latest.md (or PG2DDB_CHAOS_RESULTS).
const faults = Number(process.env.PG2DDB_CHAOS_FAULTS ?? 20);
const rows = Number(process.env.PG2DDB_CHAOS_ROWS ?? 300);
const seed = Number(process.env.PG2DDB_CHAOS_SEED ?? 13);
const freezeMs = Number(process.env.PG2DDB_CHAOS_FREEZE_MS ?? 30000);
const portBase = Number(process.env.PG2DDB_CHAOS_PORT_BASE ?? 59400);

describe('chaos', () => {
  const stack = new ChaosStack(process.env.PG2DDB_CHAOS_STACK_DIR ?? join(repoRoot(), '.stack-chaos'), {
    pg: portBase,
    dynamo: portBase + 1,
    kafka: portBase + 2,
    controller: portBase + 3,
    connect: portBase + 4,
  });
  let result: ChaosResult | undefined;

  beforeAll(async () => {
    await stack.start();
    // TestPipeline and the services read the stack's settings from its directory; the SDK's
    // credentials for the emulator come from them too (as the e2e suite's global set-up does).
    process.env.PG2DDB_STACK_DIR = stack.dir;
    for (const [name, value] of Object.entries(readStackEnv())) process.env[name] ??= value;
  }, 600_000);

  afterAll(async () => {
    await stack.stop();
  }, 300_000);

  it(`converges after ${faults} faults of each kind with nothing lost, stale or extra`, async () => {
    const log = (line: string) => process.stdout.write(`[chaos] ${line}\n`);
    const file = process.env.PG2DDB_CHAOS_RESULTS ?? join(repoRoot(), 'apps/e2e/chaos-results/latest.md');
    const write = (partial: ChaosResult, done: boolean) => {
      const title = `Chaos run: ${partial.rounds.length} of ${faults} rounds${done ? '' : ' (so far)'}, seed ${seed}, ${rows} seed rows per example (${new Date().toISOString().slice(0, 16)}Z)`;
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, `# pg2ddb chaos results\n\nWritten by \`npm run chaos\` (apps/e2e/src/chaos) after each round. Columns: docs/failure-modes.md.\n\n${resultsTable(partial, title)}`);
      return resultsTable(partial, title);
    };
    result = await runChaos({
      stack: { signal: (component, signal) => stack.signal(component, signal), start: () => stack.start() },
      faults,
      rows,
      seed,
      freezeMs,
      log,
      onRound: (partial) => write(partial, false),
    });
    process.stdout.write(`\n${write(result, true)}\n`);
    for (const kind of FAULT_KINDS) expect({ kind, injected: result.faults[kind] }).toEqual({ kind, injected: faults });
    const bad = result.rounds.flatMap((round) => [...round.compare.lost, ...round.compare.stale, ...round.compare.extra].map((what) => `round ${round.round}: ${what}`));
    expect(bad).toEqual([]);
  }, 4 * 3600_000);
});
