import { deadLetterSummary, listDeadLetters, replayDeadLetters, type DeadLetterFilter } from '@pg2ddb/ops';
import type { Kafka } from 'kafkajs';
import { jsonOption, mappingOption, numberOption, stringOption } from '../framework/cli-args';
import type { CliCommand, CommandContext } from '../framework/cli-command';
import { ExitCode, UsageError } from '../framework/exit-codes';
import { PipelineContext } from '../framework/pipeline-context';
import { textTable } from '../framework/text-table';

const USAGE = `usage: pg2ddb dlq list   --mapping FILE [--stage writer|transformer] [--code CODE] [--limit N] [--json]
       pg2ddb dlq replay --mapping FILE [--stage writer|transformer] [--code CODE] [--from-start] [--dry-run] [--json]

Dead letters are the messages a stage could never process, kept on <prefix>.dlq with the error
code, the reason and the original message (see docs/writer.md).

  list     prints the letters: position, stage, code, where the original came from, the reason,
           and whether 'replay' already re-submitted it. Exit 1 when letters await replay.
  replay   re-submits letters after you fixed their cause (the mapping, the table, the data):
           a writer letter's command goes back to <prefix>.writes, a transformer letter's change
           event back to its change topic, with the original key. Only letters not replayed
           before are sent (progress is kept in the consumer group <prefix>.dlq-replay);
           --from-start sends every letter again. Replaying twice is harmless: the writer's
           version guard refuses a command it has already applied.

options:
  --stage S      only letters of this stage
  --code C       only letters with this error code (e.g. DYNAMO_ITEM_TOO_LARGE)
  --limit N      list at most N letters (default 100; --json lists all)
  --from-start   replay: consider every letter, not only those after the last replay
  --dry-run      replay: say what would be sent, send nothing, commit nothing
  --json         one JSON document on stdout`;

/** `pg2ddb dlq list | replay`. */
export const dlqCommand: CliCommand = {
  name: 'dlq',
  uses: ['kafka'],
  summary: 'list | replay dead letters (re-submit them after a fix; idempotent)',
  usage: USAGE,
  options: {
    ...mappingOption,
    ...jsonOption,
    stage: { type: 'string' },
    code: { type: 'string' },
    limit: { type: 'string' },
    'from-start': { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
  },
  async run(context) {
    const [action] = context.positionals;
    if (action !== 'list' && action !== 'replay') throw new UsageError(`expected 'list' or 'replay', got ${action === undefined ? 'nothing' : `"${action}"`}`);
    const pipeline = PipelineContext.open(stringOption(context.values, 'mapping'), context.env);
    try {
      return action === 'list' ? await list(pipeline.kafka, pipeline.prefix, context) : await replay(pipeline.kafka, pipeline.prefix, context);
    } finally {
      await pipeline.close();
    }
  },
};

async function list(kafka: Kafka, prefix: string, context: CommandContext): Promise<number> {
  const { topic, letters, pending } = await listDeadLetters(kafka, prefix, filterOf(context));
  if (context.json) {
    context.emitJson({ topic, total: letters.length, pending, letters });
    return pending > 0 ? ExitCode.Findings : ExitCode.Ok;
  }
  const limit = numberOption(context.values, 'limit', 100, { min: 1, integer: true });
  if (context.output === 'text') {
    for (const entry of letters.slice(0, limit)) {
      const original = entry.letter ? `${entry.letter.original.topic}[${entry.letter.original.partition}]@${entry.letter.original.offset}` : '';
      context.print(
        `position=${entry.partition}/${entry.offset} replayed=${entry.replayed} stage=${entry.letter?.stage ?? '?'} code=${entry.letter?.code ?? 'UNREADABLE'} original=${original} failed_at=${entry.letter?.failedAt ?? ''} reason=${JSON.stringify(truncate(entry.letter?.message ?? entry.unreadable ?? '', 200))}`,
      );
    }
    return pending > 0 ? ExitCode.Findings : ExitCode.Ok;
  }
  if (letters.length === 0) {
    context.print(`${topic}: no dead letters${filtersText(context)}`);
    return ExitCode.Ok;
  }
  const rows = letters.slice(0, limit).map((entry) => [
    `${entry.partition}/${entry.offset}`,
    entry.replayed ? 'yes' : 'no',
    entry.letter?.stage ?? '?',
    entry.letter?.code ?? 'UNREADABLE',
    entry.letter ? `${entry.letter.original.topic}[${entry.letter.original.partition}]@${entry.letter.original.offset}` : '',
    entry.rowKey ?? '',
    entry.letter?.failedAt ?? '',
    truncate(entry.letter?.message ?? entry.unreadable ?? '', 100),
  ]);
  for (const line of textTable([['position', 'replayed', 'stage', 'code', 'original', 'row key', 'failed at', 'reason'], ...rows])) context.print(line);
  if (letters.length > limit) context.print(`… ${letters.length - limit} more (--limit, or --json for all)`);
  context.print('');
  const byCode = new Map<string, number>();
  const byStage = new Map<string, number>();
  for (const group of deadLetterSummary(letters)) {
    byCode.set(group.code, (byCode.get(group.code) ?? 0) + group.total);
    byStage.set(group.stage, (byStage.get(group.stage) ?? 0) + group.total);
  }
  const counts = (groups: Map<string, number>) => [...groups].map(([name, n]) => `${name} ${n}`).join(', ');
  context.print(`${letters.length} dead letter(s)${filtersText(context)}, ${pending} awaiting replay; by code: ${counts(byCode)}; by stage: ${counts(byStage)}`);
  return pending > 0 ? ExitCode.Findings : ExitCode.Ok;
}

async function replay(kafka: Kafka, prefix: string, context: CommandContext): Promise<number> {
  const fromStart = context.values['from-start'] === true;
  const dryRun = context.values['dry-run'] === true;
  let announced = false;
  const result = await replayDeadLetters(kafka, prefix, {
    filter: filterOf(context),
    fromStart,
    dryRun,
    onProgress: (done, total, skipped) => {
      if (!announced) context.progress.step(`dlq replay: ${total} letter(s) ${fromStart ? 'in the DLQ' : 'not replayed before'} to consider${dryRun ? ' (dry run)' : ''}`);
      announced = true;
      if (done > 0) context.progress.update(`dlq replay: ${dryRun ? 'would send' : 'sent'} ${done} of ${total} letter(s), ${skipped} skipped`);
    },
  });
  context.progress.clear();
  const { sent, skipped } = result;
  if (context.json) {
    context.emitJson(result);
  } else {
    const verb = dryRun ? 'would re-submit' : 're-submitted';
    context.print(`${verb} ${sent.length} dead letter(s)${filtersText(context)} of ${result.considered} ${fromStart ? 'in the DLQ' : 'not replayed before'}`);
    const byTopic = new Map<string, number>();
    for (const entry of sent) byTopic.set(entry.topic, (byTopic.get(entry.topic) ?? 0) + 1);
    for (const [topic, count] of byTopic) context.print(`  → ${topic}: ${count}`);
    for (const entry of skipped) context.print(`  skipped ${entry.position}: ${entry.reason}`);
    if (!dryRun && sent.length > 0) context.print(`Watch them with 'pg2ddb status'; letters that fail again come back to the DLQ as new letters.`);
  }
  return skipped.length > 0 ? ExitCode.Findings : ExitCode.Ok;
}

function filterOf(context: CommandContext): DeadLetterFilter {
  const stage = stringOption(context.values, 'stage');
  const code = stringOption(context.values, 'code');
  return { ...(stage !== undefined ? { stage } : {}), ...(code !== undefined ? { code } : {}) };
}

function filtersText(context: CommandContext): string {
  const parts = [stringOption(context.values, 'stage'), stringOption(context.values, 'code')].filter((part) => part !== undefined);
  return parts.length > 0 ? ` matching ${parts.join(' ')}` : '';
}

function truncate(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
