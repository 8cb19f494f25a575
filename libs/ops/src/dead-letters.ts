import { topicNames, type DeadLetter } from '@pg2ddb/contracts';
import { dlqReplayGroup, letterPosition, markReplayed, peekMessage, readReplayMarkers, readTopicRange, replayTarget, type TopicRecord } from '@pg2ddb/kafka';
import type { Kafka } from 'kafkajs';

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

/** Which letters a list or replay considers (both optional). */
export interface DeadLetterFilter {
  stage?: string;
  code?: string;
}

/** What a replay did: letters sent back (with the topic) and letters it could not send. */
export interface ReplayResult {
  dryRun: boolean;
  fromStart: boolean;
  considered: number;
  sent: Array<{ position: string; topic: string; code: string }>;
  skipped: Array<{ position: string; reason: string }>;
}

/**
 * Every letter of `<prefix>.dlq` that matches the filter, oldest first per partition, each marked
 * replayed when `replayDeadLetters` already re-submitted it (the replay group's offsets).
 */
export async function listDeadLetters(kafka: Kafka, prefix: string, filter: DeadLetterFilter = {}): Promise<{ topic: string; letters: ListedLetter[]; pending: number }> {
  const topic = topicNames(prefix).dlq;
  const replayedUpTo = await replayedOffsets(kafka, prefix);
  const markers = await readReplayMarkers(kafka, prefix);
  const { records } = await readTopicRange(kafka, topic);
  const letters = records.map((record) => toListed(record, replayedUpTo, markers)).filter((entry) => matchesFilter(entry, filter));
  return { topic, letters, pending: letters.filter((entry) => !entry.replayed).length };
}

/**
 * Re-submits dead letters after their cause was fixed: a writer letter's command back to
 * `<prefix>.writes`, a transformer letter's change event back to its change topic, with the
 * original key. Only letters not replayed before (the replay group's offsets), unless `fromStart`;
 * the offsets move to where this run read, so the next replay does not send them again.
 * Replaying twice is harmless: the writer's version guard refuses what it already applied.
 */
export async function replayDeadLetters(
  kafka: Kafka,
  prefix: string,
  options: { filter?: DeadLetterFilter; fromStart?: boolean; dryRun?: boolean; onProgress?: (done: number, total: number, skipped: number) => void } = {},
): Promise<ReplayResult> {
  const { filter = {}, fromStart = false, dryRun = false } = options;
  const replayedUpTo = await replayedOffsets(kafka, prefix);
  const markers = fromStart ? new Set<string>() : await readReplayMarkers(kafka, prefix);
  const { records, ends } = await readTopicRange(kafka, topicNames(prefix).dlq, { fromOffsets: fromStart ? undefined : replayedUpTo });
  const replayedNow = new Set<string>();
  const sent: ReplayResult['sent'] = [];
  const skipped: ReplayResult['skipped'] = [];
  options.onProgress?.(0, records.length, 0);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  if (!dryRun) await producer.connect();
  try {
    for (const record of records) {
      const entry = toListed(record, new Map(), new Set());
      const position = letterPosition(record.partition, record.message.offset);
      if (!matchesFilter(entry, filter) || markers.has(position)) continue;
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
      if (original.truncated || original.redacted) {
        // The letter carries only the start of a large original, or its values redacted: re-read the whole of it.
        const whole = await peekMessage(kafka, original.topic, original.partition, original.offset);
        if (!whole || whole.value === null) {
          const holds = original.redacted ? 'the letter is redacted (PG2DDB_REDACT_VALUES)' : 'the letter holds only the start of the original';
          skipped.push({ position, reason: `${holds}, and ${original.topic}/${original.partition}/${original.offset} no longer has it (expired from the topic: retention); it cannot be replayed` });
          continue;
        }
        message = { ...message, value: whole.value };
      }
      if (!dryRun) await producer.send({ topic: target.topic, acks: -1, messages: [message] });
      sent.push({ position, topic: target.topic, code: entry.letter.code });
      replayedNow.add(position);
      options.onProgress?.(sent.length, records.length, skipped.length);
    }
    // Progress is kept per letter: the letters sent are marked, and the group's offsets move only
    // over letters that are all replayed, so a letter a filter left out stays pending.
    if (!dryRun) {
      await markReplayed(kafka, producer, prefix, [...replayedNow]);
      const upTo = replayedPrefix(records, ends, (position) => replayedNow.has(position) || markers.has(position));
      if (upTo.size > 0) await commitReplayed(kafka, prefix, upTo);
    }
  } finally {
    if (!dryRun) await producer.disconnect();
  }
  return { dryRun, fromStart, considered: records.length, sent, skipped };
}

/** Letters counted by stage and code (total and awaiting replay), largest first. */
export function deadLetterSummary(letters: readonly ListedLetter[]): Array<{ stage: string; code: string; total: number; pending: number }> {
  const groups = new Map<string, { stage: string; code: string; total: number; pending: number }>();
  for (const entry of letters) {
    const stage = entry.letter?.stage ?? '?';
    const code = entry.letter?.code ?? 'UNREADABLE';
    const group = groups.get(`${stage}\u0000${code}`) ?? { stage, code, total: 0, pending: 0 };
    group.total += 1;
    if (!entry.replayed) group.pending += 1;
    groups.set(`${stage}\u0000${code}`, group);
  }
  return [...groups.values()].sort((a, b) => b.total - a.total || a.stage.localeCompare(b.stage) || a.code.localeCompare(b.code));
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

function matchesFilter(entry: ListedLetter, filter: DeadLetterFilter): boolean {
  if (filter.stage !== undefined && entry.letter?.stage !== filter.stage) return false;
  return filter.code === undefined || entry.letter?.code === filter.code;
}

async function replayedOffsets(kafka: Kafka, prefix: string): Promise<Map<number, string>> {
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

async function commitReplayed(kafka: Kafka, prefix: string, ends: ReadonlyMap<number, string>): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.setOffsets({ groupId: dlqReplayGroup(prefix), topic: topicNames(prefix).dlq, partitions: [...ends].map(([partition, offset]) => ({ partition, offset })) });
  } finally {
    await admin.disconnect();
  }
}
