import { jsonOption, mappingOption, numberOption } from '../framework/cli-args';
import type { CliCommand } from '../framework/cli-command';
import { ExitCode } from '../framework/exit-codes';
import { PipelineContext } from '../framework/pipeline-context';
import { loadRates, readPipelineState, type PipelineState } from '@pg2ddb/ops';
import { renderStatus, renderStatusText } from '../status/status-view';

/**
 * `pg2ddb status [--watch]`: the seed's 30-second monitor for a continuous pipeline. On a
 * terminal --watch redraws the same screen in place; piped, it appends one block per refresh.
 */
export const statusCommand: CliCommand = {
  name: 'status',
  uses: ['connect', 'postgres', 'kafka', 'dynamo'],
  summary: 'per entity: load progress, rows/s, ETA, consumer lag, last write age, DLQ, last reconciliation',
  usage: `usage: pg2ddb status --mapping FILE [--watch [--interval S] [--count N]] [--output json|table|text]

Shows the connector state and, per entity: initial-load progress (items in DynamoDB / rows in
PostgreSQL), rows/s and ETA (from the previous refresh), the transformer group's lag on the
entity's change topic, then the writer group's lag, the age of the last write applied, the
dead-letter count and the latest reconciliation per entity (pg2ddb.reconciliation_runs).

  --watch          refresh until Ctrl-C: redrawn in place on a terminal, plain blocks when piped
  --interval S     seconds between refreshes (default 30, like the seed's monitor)
  --count N        stop after N refreshes (scripts, tests)
  --output json    one JSON document; with --watch NDJSON, one line per refresh (--json too)
  --output text    key=value lines (connector, one per entity, writer/DLQ) for grep and awk

exit: 0 shown, 2 usage, 3 a dependency unreachable`,
  options: { ...mappingOption, ...jsonOption, watch: { type: 'boolean', default: false }, interval: { type: 'string' }, count: { type: 'string' } },
  async run({ values, env, print, output, json, emitJson, emitJsonLine, tty, style }) {
    const context = PipelineContext.open(values.mapping as string | undefined, env);
    const interval = numberOption(values, 'interval', 30, { min: 0.2 });
    const watch = values.watch === true;
    const count = numberOption(values, 'count', watch ? Infinity : 1, { min: 1, integer: true });
    let stopped = false;
    const stop = () => {
      stopped = true;
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    let before: PipelineState | undefined;
    let drawn = 0;
    try {
      for (let round = 0; round < count && !stopped; round++) {
        if (round > 0) await sleepUnless(interval * 1000, () => stopped);
        if (stopped) break;
        const state = await readPipelineState(context);
        if (state.errors.length > 0 && state.errors.length >= state.entities.length * 3 + 4) {
          throw Object.assign(new Error(`nothing answered: ${state.errors.join('; ')}`), { code: 'DEPENDENCY_UNREACHABLE' });
        }
        if (json) {
          const rates = loadRates(state, before);
          const document = { ...state, entities: state.entities.map((entity) => ({ ...entity, ...rates.get(entity.entity) })) };
          // Under --watch one compact line per refresh (NDJSON): `| jq -c .writerLag` follows it live.
          if (watch) emitJsonLine(document);
          else emitJson(document);
        } else if (output === 'text') {
          for (const line of renderStatusText(state, before)) print(line);
        } else {
          const lines = renderStatus(state, before, { tty, style, ...(watch ? { interval } : {}) });
          // In place on a terminal: back to the first line of the previous screen, clear below, redraw.
          if (tty && watch && drawn > 0) process.stdout.write(`\x1b[${drawn}F\x1b[J`);
          for (const line of lines) print(line);
          drawn = lines.length;
        }
        before = state;
      }
      return ExitCode.Ok;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      await context.close();
    }
  },
};

async function sleepUnless(ms: number, stopped: () => boolean): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until && !stopped()) await new Promise((resolve) => setTimeout(resolve, Math.min(200, until - Date.now())));
}
