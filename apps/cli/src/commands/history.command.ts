import { listRunHistory, type RunHistoryEntry } from '@pg2ddb/postgres';

import { settings } from '../cli-settings';
import { jsonOption, mappingOption, numberOption } from '../framework/cli-args';
import type { CliCommand } from '../framework/cli-command';
import { ExitCode, UsageError } from '../framework/exit-codes';
import { PipelineContext } from '../framework/pipeline-context';
import { textTable } from '../framework/text-table';

const KINDS: Array<RunHistoryEntry['kind']> = ['reconcile', 'load', 'snapshot', 'replay', 'cutover-check'];

/** One line of what an entry did, from its summary. */
export function describeEntry(entry: RunHistoryEntry): string {
  const s = entry.summary;
  if (entry.kind === 'reconcile') {
    return `${String(s.mode)}: checked ${String(s.checked)}, missing ${String(s.missing)}, unexpected ${String(s.unexpected)}, mismatch ${String(s.mismatch)}, in flight ${String(s.inFlight)}`;
  }
  const report = s.report as Record<string, unknown> | undefined;
  return [
    Array.isArray(s.args) ? (s.args as unknown[]).join(' ') : '',
    report && typeof report.go === 'boolean' ? (report.go ? 'GO' : 'NO-GO') : '',
    s.exitCode !== undefined ? `exit ${String(s.exitCode)}` : '',
    entry.error ?? '',
  ]
    .filter((part) => part.length > 0)
    .join(' ');
}

function duration(entry: RunHistoryEntry): string {
  if (!entry.finishedAt) return '-';
  const ms = entry.finishedAt.getTime() - entry.startedAt.getTime();
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/** `pg2ddb history`: the run history of a deployment, newest first. */
export const historyCommand: CliCommand = {
  name: 'history',
  summary: 'what ran: reconciliations, loads, snapshots, DLQ replays, cut-over checks (newest first)',
  usage: `usage: pg2ddb history --mapping FILE [--kind KIND]... [--limit N] [--json]

Reads the run history in the source database's pg2ddb schema (pg2ddb.reconciliation_runs and
pg2ddb.run_history): each entity's reconciliation runs, connector applies (the initial load),
snapshots, DLQ replays and cut-over checks of this deployment (topic prefix), newest first.

  --kind KIND   only these kinds (repeatable): ${KINDS.join(', ')}
  --limit N     at most N entries (default 50)`,
  options: { ...mappingOption, ...jsonOption, kind: { type: 'string', multiple: true }, limit: { type: 'string' } },
  async run({ values, env, print, json, emitJson }) {
    const context = PipelineContext.open(values.mapping as string | undefined, env);
    const kinds = ((values.kind as string[] | undefined) ?? []).map((kind) => {
      if (!KINDS.includes(kind as RunHistoryEntry['kind'])) throw new UsageError(`--kind must be one of ${KINDS.join(', ')} (got "${kind}")`);
      return kind as RunHistoryEntry['kind'];
    });
    const limit = numberOption(values, 'limit', 50, { min: 1, max: 10_000, integer: true });
    const entries = await listRunHistory(settings.postgres(env), { topicPrefix: context.prefix, limit, kinds });
    if (json) {
      emitJson({ topicPrefix: context.prefix, entries });
      return ExitCode.Ok;
    }
    print(`pg2ddb history — prefix ${context.prefix}, ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}`);
    const rows = entries.map((e) => [e.startedAt.toISOString().replace('T', ' ').slice(0, 19), e.kind, e.entity ?? '-', e.status, duration(e), describeEntry(e)]);
    for (const line of textTable([['started (UTC)', 'kind', 'entity', 'status', 'took', 'what'], ...rows])) print(`  ${line}`);
    return ExitCode.Ok;
  },
};
