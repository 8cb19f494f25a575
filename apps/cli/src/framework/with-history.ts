import { errorMessage } from '@pg2ddb/errors';
import { RunHistory, type OperationKind } from '@pg2ddb/postgres';

import { settings } from '../cli-settings';
import type { CliCommand, CommandContext } from './cli-command';
import { PipelineContext } from './pipeline-context';

/**
 * Wraps a command so each run is kept in the run history (`pg2ddb.run_history`, `pg2ddb history`):
 * started before, finished after with its exit code, its arguments and, under --json, the
 * document it printed. `applies` picks the runs worth keeping (e.g. `dlq replay` but not `list`).
 * Bookkeeping never stops an operation: when the history cannot be written (no privilege to
 * create the pg2ddb schema, say) the command runs anyway and a warning goes to stderr.
 */
export function withHistory(command: CliCommand, kind: OperationKind, applies: (context: CommandContext) => boolean = () => true): CliCommand {
  return {
    ...command,
    async run(context) {
      if (!applies(context) || typeof context.values.mapping !== 'string') return command.run(context);
      let pipeline: PipelineContext | undefined;
      let history: RunHistory | undefined;
      let id: string | undefined;
      const warn = (what: string, error: unknown) => process.stderr.write(`pg2ddb ${command.name}: run history not ${what}: ${errorMessage(error)}\n`);
      try {
        pipeline = PipelineContext.open(context.values.mapping, context.env);
        history = await RunHistory.open(pipeline.pg, settings.postgres(context.env));
        id = await history.started({ kind, topicPrefix: pipeline.prefix, ...(kind === 'snapshot' && context.positionals[0] ? { entity: context.positionals[0] } : {}) });
      } catch (error) {
        warn('recorded', error);
      }
      let printed: unknown;
      const emitJson = (value: unknown) => {
        printed = value;
        context.emitJson(value);
      };
      const summary = (extra: Record<string, unknown>) => ({ args: context.positionals, ...extra, ...(printed !== undefined ? { report: printed } : {}) });
      try {
        const code = await command.run({ ...context, emitJson });
        if (history && id) await history.finished(id, { status: 'succeeded', summary: summary({ exitCode: code }) }).catch((error: unknown) => warn('finished', error));
        return code;
      } catch (error) {
        if (history && id) await history.finished(id, { status: 'failed', error: errorMessage(error), summary: summary({}) }).catch((e: unknown) => warn('finished', e));
        throw error;
      } finally {
        await history?.close().catch(() => undefined);
        await pipeline?.close();
      }
    },
  };
}
