import { loadRates, type PipelineState } from '@pg2ddb/ops';
import { textTable } from '../framework/text-table';
import { formatDuration } from '../sync-progress';
import { stateColour, type TerminalStyle } from '../framework/terminal-style';

/**
 * The status screen as lines: connector, per-entity table (progress bar on a terminal), lag,
 * last applied age, DLQ, last reconciliation. Pure, so the watch loop only redraws it.
 */
export function renderStatus(state: PipelineState, before: PipelineState | undefined, options: { tty: boolean; interval?: number; style?: TerminalStyle }): string[] {
  const rates = loadRates(state, before);
  const lines: string[] = [];
  const stamp = new Date(state.at).toISOString().replace('T', ' ').slice(0, 19);
  const paint = (text: string) => options.style?.paint(text, stateColour(text)) ?? text;
  lines.push(`[${stamp}] connector ${state.connector.name}: ${paint(state.connector.state)}${state.connector.tasks.length ? ` (tasks ${state.connector.tasks.map(paint).join(', ')})` : ''}${options.interval ? `  — refresh every ${options.interval}s` : ''}`);
  const rows = [['entity', 'load', 'items / rows', 'rows/s', 'ETA', 'transformer lag', 'last reconciliation']];
  for (const entity of state.entities) {
    const pct = entity.rows <= 0 ? (entity.items <= 0 ? 100 : 100) : Math.min(100, (entity.items / entity.rows) * 100);
    const bar = options.tty ? `${progressBar(pct, 20)} ` : '';
    const rate = rates.get(entity.entity);
    const run = entity.lastReconciliation;
    const reconciliation = run
      ? `${run.mode} ${run.status}${run.consistencyRate !== null ? ` ${(run.consistencyRate * 100).toFixed(2)}%` : ''} (missing ${run.missing}, unexpected ${run.unexpected}, mismatch ${run.mismatch}) ${ago(state.at - new Date(run.finishedAt ?? run.startedAt).getTime())} ago`
      : 'never reconciled';
    rows.push([
      entity.entity,
      `${bar}${pct.toFixed(1)}%`,
      `${fmt(entity.items)} / ${fmt(entity.rows)}`,
      rate?.rate !== undefined ? fmt(Math.round(rate.rate)) : '-',
      rate?.etaMs !== undefined ? formatDuration(rate.etaMs) : entity.items >= entity.rows && entity.rows >= 0 ? 'done' : '-',
      fmt(entity.transformerLag),
      reconciliation,
    ]);
  }
  lines.push(...textTable(rows).map((line) => `  ${line}`));
  // How old the newest write the writer has applied was when this screen was read (its Kafka timestamp).
  const age = state.lastAppliedAt !== undefined ? ago(state.at - state.lastAppliedAt) : 'none yet';
  lines.push(`  writer lag ${fmt(state.writerLag)}  ·  last applied event age ${age}  ·  dead letters ${fmt(state.deadLetters)}`);
  for (const error of state.errors) lines.push(`  ! ${error}`);
  return lines;
}

/**
 * The status as plain `key=value` lines (logfmt) for grep and awk: one for the connector, one per
 * entity, one for the writer and the DLQ, one per error. No alignment, no bars, no colour.
 */
export function renderStatusText(state: PipelineState, before: PipelineState | undefined): string[] {
  const rates = loadRates(state, before);
  const at = new Date(state.at).toISOString();
  const value = (v: string | number) => (typeof v === 'number' ? String(v) : /^[\w.:@/+-]*$/.test(v) && v !== '' ? v : JSON.stringify(v));
  const line = (fields: Array<[string, string | number | undefined]>) =>
    fields
      .filter((field): field is [string, string | number] => field[1] !== undefined)
      .map(([key, v]) => `${key}=${value(v)}`)
      .join(' ');
  const lines = [line([['at', at], ['connector', state.connector.name], ['state', state.connector.state], ['tasks', state.connector.tasks.join(',')]])];
  for (const entity of state.entities) {
    const rate = rates.get(entity.entity);
    const run = entity.lastReconciliation;
    lines.push(
      line([
        ['at', at],
        ['entity', entity.entity],
        ['source', entity.source],
        ['rows', entity.rows],
        ['items', entity.items],
        ['load_pct', entity.rows > 0 ? Number(Math.min(100, (entity.items / entity.rows) * 100).toFixed(1)) : 100],
        ['rows_per_s', rate?.rate !== undefined ? Math.round(rate.rate) : undefined],
        ['eta_s', rate?.etaMs !== undefined ? Math.round(rate.etaMs / 1000) : undefined],
        ['transformer_lag', entity.transformerLag],
        ['reconciled', run ? `${run.mode}:${run.status}` : 'never'],
        ['consistency', run?.consistencyRate !== null && run?.consistencyRate !== undefined ? run.consistencyRate : undefined],
      ]),
    );
  }
  lines.push(
    line([
      ['at', at],
      ['writer_lag', state.writerLag],
      ['last_applied_age_s', state.lastAppliedAt !== undefined ? Number(((state.at - state.lastAppliedAt) / 1000).toFixed(1)) : undefined],
      ['dead_letters', state.deadLetters],
    ]),
  );
  for (const error of state.errors) lines.push(line([['at', at], ['error', error]]));
  return lines;
}

function progressBar(pct: number, width: number): string {
  const filled = Math.round((pct / 100) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

function ago(ms: number): string {
  return formatDuration(Math.max(0, ms));
}

function fmt(n: number): string {
  return n < 0 ? '?' : n.toLocaleString('en-US');
}
