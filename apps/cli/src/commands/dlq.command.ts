import { topicNames, type DeadLetter } from '@pg2ddb/contracts';
import { dlqReplayGroup, readTopicRange, replayTarget, type TopicRecord } from '@pg2ddb/kafka';
import type { Kafka } from 'kafkajs';
import { jsonOption, mappingOption, numberOption, stringOption } from '../framework/cli-args';
import type { CliCommand, CommandContext } from '../framework/cli-command';
import { ExitCode, UsageError } from '../framework/exit-codes';
import { PipelineContext } from '../framework/pipeline-context';
import { textTable } from '../framework/text-table';

/** A dead letter as the DLQ holds it, with its position and whether replay already re-submitted it. */
export interface ListedLetter {
  partition: number;
  offset: string;
  replayed: boolean;
  letter: DeadLetter | null;
  /** Set when the DLQ message is not a dead letter pg2ddb can read. */
  unreadable?: string;
}

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
  const replayedUpTo = await committedOffsets(kafka, prefix);
  const { records } = await readTopicRange(kafka, topicNames(prefix).dlq);
  const letters = records.map((record) => toListed(record, replayedUpTo)).filter((entry) => matches(entry, context));
  const pending = letters.filter((entry) => !entry.replayed).length;
  if (context.json) {
    context.emitJson({ topic: topicNames(prefix).dlq, total: letters.length, pending, letters });
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
    context.print(`${topicNames(prefix).dlq}: no dead letters${filtersText(context)}`);
    return ExitCode.Ok;
  }
  const rows = letters.slice(0, limit).map((entry) => [
    `${entry.partition}/${entry.offset}`,
    entry.replayed ? 'yes' : 'no',
    entry.letter?.stage ?? '?',
    entry.letter?.code ?? 'UNREADABLE',
    entry.letter ? `${entry.letter.original.topic}[${entry.letter.original.partition}]@${entry.letter.original.offset}` : '',
    entry.letter?.failedAt ?? '',
    truncate(entry.letter?.message ?? entry.unreadable ?? '', 100),
  ]);
  for (const line of textTable([['position', 'replayed', 'stage', 'code', 'original', 'failed at', 'reason'], ...rows])) context.print(line);
  if (letters.length > limit) context.print(`… ${letters.length - limit} more (--limit, or --json for all)`);
  const byCode = new Map<string, number>();
  for (const entry of letters) byCode.set(entry.letter?.code ?? 'UNREADABLE', (byCode.get(entry.letter?.code ?? 'UNREADABLE') ?? 0) + 1);
  context.print('');
  context.print(`${letters.length} dead letter(s)${filtersText(context)}, ${pending} awaiting replay; by code: ${[...byCode].map(([code, n]) => `${code} ${n}`).join(', ')}`);
  return pending > 0 ? ExitCode.Findings : ExitCode.Ok;
}

async function replay(kafka: Kafka, prefix: string, context: CommandContext): Promise<number> {
  const fromStart = context.values['from-start'] === true;
  const dryRun = context.values['dry-run'] === true;
  const replayedUpTo = await committedOffsets(kafka, prefix);
  const { records, ends } = await readTopicRange(kafka, topicNames(prefix).dlq, { fromOffsets: fromStart ? undefined : replayedUpTo });
  const sent: Array<{ position: string; topic: string; code: string }> = [];
  const skipped: Array<{ position: string; reason: string }> = [];
  context.progress.step(`dlq replay: ${records.length} letter(s) ${fromStart ? 'in the DLQ' : 'not replayed before'} to consider${dryRun ? ' (dry run)' : ''}`);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  if (!dryRun) await producer.connect();
  try {
    for (const record of records) {
      const entry = toListed(record, new Map());
      const position = `${record.partition}/${record.message.offset}`;
      if (!matches(entry, context)) continue;
      if (entry.letter === null) {
        skipped.push({ position, reason: entry.unreadable ?? 'unreadable' });
        continue;
      }
      const target = replayTarget(entry.letter, prefix, { partition: record.partition, offset: record.message.offset });
      if ('unsupported' in target) {
        skipped.push({ position, reason: target.unsupported });
        continue;
      }
      if (!dryRun) await producer.send({ topic: target.topic, acks: -1, messages: [target.message] });
      sent.push({ position, topic: target.topic, code: entry.letter.code });
      context.progress.update(`dlq replay: ${dryRun ? 'would send' : 'sent'} ${sent.length} of ${records.length} letter(s), ${skipped.length} skipped`);
    }
    // Everything up to where this run read is done: a filtered-out letter is not re-offered by the
    // next plain replay (use --from-start with its filter for it).
    if (!dryRun && ends.size > 0) await commitOffsets(kafka, prefix, ends);
  } finally {
    if (!dryRun) await producer.disconnect();
  }
  context.progress.clear();
  if (context.json) {
    context.emitJson({ dryRun, fromStart, considered: records.length, sent, skipped });
  } else {
    const verb = dryRun ? 'would re-submit' : 're-submitted';
    context.print(`${verb} ${sent.length} dead letter(s)${filtersText(context)} of ${records.length} ${fromStart ? 'in the DLQ' : 'not replayed before'}`);
    const byTopic = new Map<string, number>();
    for (const entry of sent) byTopic.set(entry.topic, (byTopic.get(entry.topic) ?? 0) + 1);
    for (const [topic, count] of byTopic) context.print(`  → ${topic}: ${count}`);
    for (const entry of skipped) context.print(`  skipped ${entry.position}: ${entry.reason}`);
    if (!dryRun && sent.length > 0) context.print(`Watch them with 'pg2ddb status'; letters that fail again come back to the DLQ as new letters.`);
  }
  return skipped.length > 0 ? ExitCode.Findings : ExitCode.Ok;
}

function toListed(record: TopicRecord, replayedUpTo: ReadonlyMap<number, string>): ListedLetter {
  const offset = record.message.offset;
  const committed = replayedUpTo.get(record.partition);
  const replayed = committed !== undefined && BigInt(offset) < BigInt(committed);
  try {
    const letter = JSON.parse(String(record.message.value)) as DeadLetter;
    if (typeof letter !== 'object' || letter === null || typeof letter.code !== 'string' || typeof letter.original !== 'object') {
      return { partition: record.partition, offset, replayed, letter: null, unreadable: 'not a pg2ddb dead letter (no code or original)' };
    }
    return { partition: record.partition, offset, replayed, letter };
  } catch (error) {
    return { partition: record.partition, offset, replayed, letter: null, unreadable: `not JSON: ${(error as Error).message}` };
  }
}

function matches(entry: ListedLetter, context: CommandContext): boolean {
  const stage = stringOption(context.values, 'stage');
  const code = stringOption(context.values, 'code');
  if (stage !== undefined && entry.letter?.stage !== stage) return false;
  return code === undefined || entry.letter?.code === code;
}

function filtersText(context: CommandContext): string {
  const parts = [stringOption(context.values, 'stage'), stringOption(context.values, 'code')].filter((part) => part !== undefined);
  return parts.length > 0 ? ` matching ${parts.join(' ')}` : '';
}

async function committedOffsets(kafka: Kafka, prefix: string): Promise<Map<number, string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topic = topicNames(prefix).dlq;
    if (!(await admin.listTopics()).includes(topic)) return new Map();
    const [committed] = await admin.fetchOffsets({ groupId: dlqReplayGroup(prefix), topics: [topic] });
    return new Map((committed?.partitions ?? []).filter((p) => BigInt(p.offset) >= 0n).map((p) => [p.partition, p.offset]));
  } finally {
    await admin.disconnect();
  }
}

async function commitOffsets(kafka: Kafka, prefix: string, ends: ReadonlyMap<number, string>): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.setOffsets({
      groupId: dlqReplayGroup(prefix),
      topic: topicNames(prefix).dlq,
      partitions: [...ends].map(([partition, offset]) => ({ partition, offset })),
    });
  } finally {
    await admin.disconnect();
  }
}

function truncate(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
