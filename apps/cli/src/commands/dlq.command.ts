import { topicNames, type DeadLetter } from '@pg2ddb/contracts';
import { dlqReplayGroup, letterPosition, markReplayed, peekMessage, readReplayMarkers, readTopicRange, replayTarget, type TopicRecord } from '@pg2ddb/kafka';
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
  /** The source row's primary key (`id=42`) or the item key of a write command, when the letter's key holds one. */
  rowKey?: string;
}

/**
 * The row a letter is about, from its original Kafka key: a Debezium key (`{schema, payload}`
 * with the primary key columns) reads `id=42, region=EU`; a write command's key is shown as is.
 */
export function describeRowKey(key: string | null): string | undefined {
  if (key === null || key === '') return undefined;
  try {
    const parsed = JSON.parse(key) as unknown;
    const struct = parsed !== null && typeof parsed === 'object' && 'payload' in parsed ? (parsed as { payload: unknown }).payload : parsed;
    if (struct !== null && typeof struct === 'object' && !Array.isArray(struct)) {
      return Object.entries(struct as Record<string, unknown>).map(([column, value]) => `${column}=${typeof value === 'string' ? value : JSON.stringify(value)}`).join(', ');
    }
    return key;
  } catch {
    return key;
  }
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
  const markers = await readReplayMarkers(kafka, prefix);
  const { records } = await readTopicRange(kafka, topicNames(prefix).dlq);
  const letters = records.map((record) => toListed(record, replayedUpTo, markers)).filter((entry) => matches(entry, context));
  const pending = letters.filter((entry) => !entry.replayed).length;
  if (context.json) {
    context.emitJson({ topic: topicNames(prefix).dlq, total: letters.length, pending, letters });
    return pending > 0 ? ExitCode.Findings : ExitCode.Ok;
  }
  const limit = numberOption(context.values, 'limit', 100, { min: 1, integer: true });
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
    entry.rowKey ?? '',
    entry.letter?.failedAt ?? '',
    truncate(entry.letter?.message ?? entry.unreadable ?? '', 100),
  ]);
  for (const line of textTable([['position', 'replayed', 'stage', 'code', 'original', 'row key', 'failed at', 'reason'], ...rows])) context.print(line);
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
  const markers = fromStart ? new Set<string>() : await readReplayMarkers(kafka, prefix);
  const { records, ends } = await readTopicRange(kafka, topicNames(prefix).dlq, { fromOffsets: fromStart ? undefined : replayedUpTo });
  const replayedNow = new Set<string>();
  const sent: Array<{ position: string; topic: string; code: string }> = [];
  const skipped: Array<{ position: string; reason: string }> = [];
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  if (!dryRun) await producer.connect();
  try {
    for (const record of records) {
      const entry = toListed(record, new Map(), new Set());
      const position = letterPosition(record.partition, record.message.offset);
      if (!matches(entry, context) || markers.has(position)) continue;
      if (entry.letter === null) {
        skipped.push({ position, reason: entry.unreadable ?? 'unreadable' });
        continue;
      }
      const target = replayTarget(entry.letter, prefix, { partition: record.partition, offset: record.message.offset });
      if ('unsupported' in target) {
        skipped.push({ position, reason: target.unsupported });
        continue;
      }
      let message = target.message;
      const { original } = entry.letter;
      if (original.truncated) {
        // The letter carries only the start of a large original: re-read the whole of it.
        const whole = await peekMessage(kafka, original.topic, original.partition, original.offset);
        if (!whole || whole.value === null) {
          skipped.push({ position, reason: `the letter holds only the start of the original, and ${original.topic}/${original.partition}/${original.offset} no longer has it (retention)` });
          continue;
        }
        message = { ...message, value: whole.value };
      }
      if (!dryRun) await producer.send({ topic: target.topic, acks: -1, messages: [message] });
      sent.push({ position, topic: target.topic, code: entry.letter.code });
      replayedNow.add(position);
      if (!context.json && sent.length % 1000 === 0) process.stderr.write(`replayed ${sent.length} of ${records.length} letter(s)…\n`);
    }
    // Progress is kept per letter: the letters sent are marked, and the group's offsets move only
    // over letters that are all replayed, so a letter a filter left out stays pending.
    if (!dryRun) {
      await markReplayed(kafka, producer, prefix, [...replayedNow]);
      const upTo = replayedPrefix(records, ends, (position) => replayedNow.has(position) || markers.has(position));
      if (upTo.size > 0) await commitOffsets(kafka, prefix, upTo);
    }
  } finally {
    if (!dryRun) await producer.disconnect();
  }
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

/** Per partition, the offset after the longest run of replayed letters from where this read began. */
function replayedPrefix(records: TopicRecord[], ends: ReadonlyMap<number, string>, replayed: (position: string) => boolean): Map<number, string> {
  const firstPending = new Map<number, string>();
  for (const record of records) {
    if (firstPending.has(record.partition) || replayed(letterPosition(record.partition, record.message.offset))) continue;
    firstPending.set(record.partition, record.message.offset);
  }
  return new Map([...ends].map(([partition, end]) => [partition, firstPending.get(partition) ?? end]));
}

function toListed(record: TopicRecord, replayedUpTo: ReadonlyMap<number, string>, markers: ReadonlySet<string>): ListedLetter {
  const offset = record.message.offset;
  const committed = replayedUpTo.get(record.partition);
  const replayed = (committed !== undefined && BigInt(offset) < BigInt(committed)) || markers.has(letterPosition(record.partition, offset));
  try {
    const letter = JSON.parse(String(record.message.value)) as DeadLetter;
    if (typeof letter !== 'object' || letter === null || typeof letter.code !== 'string' || typeof letter.original !== 'object') {
      return { partition: record.partition, offset, replayed, letter: null, unreadable: 'not a pg2ddb dead letter (no code or original)' };
    }
    const rowKey = describeRowKey(letter.original.key);
    return { partition: record.partition, offset, replayed, letter, ...(rowKey === undefined ? {} : { rowKey }) };
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
