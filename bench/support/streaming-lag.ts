import { BatchGetItemCommand, type DynamoDBClient, type KeysAndAttributes, type AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import type { AttributeMap } from '@pg2ddb/contracts';
import { toSdkItem } from '@pg2ddb/dynamo';
import { mapRow, type CompiledEntity } from '@pg2ddb/mapping';
import type { Pool, QueryResultRow } from 'pg';
import { percentile } from './bench-stats';
import { RAW_TEXT_TYPES } from './pg-read-ceiling';

type Op = 'insert' | 'update' | 'delete';

/** What the steady change load and its probes do. */
export interface StreamingOptions {
  /** Connections in the benchmark's schema; `connections` statements run at a time. */
  pool: Pool;
  connections: number;
  dynamo: DynamoDBClient;
  table: string;
  entity: CompiledEntity;
  /** Changes per second, each its own transaction (autocommit). */
  rate: number;
  seconds: number;
  /** Shares of inserts, updates and deletes (any scale). */
  mix: Record<Op, number>;
  /** Ids of existing rows updated, in turn (re-updated once the list is used up). */
  updateIds: readonly number[];
  /** Ids of existing rows deleted, in this order; each at most once. */
  deleteIds: readonly number[];
  /** One change in `probeEvery` is timed until DynamoDB shows it. */
  probeEvery: number;
  /** Interval of the DynamoDB read loop (BatchGetItem, strongly consistent). */
  pollMs: number;
  /** Longest interval the read loop backs off to while nothing new shows (default 200 ms; = pollMs: never backs off). */
  maxPollMs?: number;
  /** How long to wait after the last change for the probes still pending. */
  drainSeconds: number;
}

export interface StreamingResult {
  scheduledRate: number;
  seconds: number;
  changes: Record<Op, number>;
  /** Commits per second actually achieved (all changes / first scheduled → last commit). */
  achievedChangesPerSecond: number;
  /** How far behind schedule the issuing fell at worst (ms); large values mean the rate was not held. */
  maxBehindScheduleMs: number;
  statementMs: { p50: number; p99: number };
  probes: { sent: number; seen: number; unresolved: number; byOp: Record<Op, number> };
  /** Commit → visible in DynamoDB (the probe saw the change), ms. */
  latencyMs: { p50: number; p95: number; p99: number; max: number; mean: number } | null;
  latencyByOpMs: Record<Op, { p50: number; p99: number } | null>;
  readLoop: { rounds: number; keysRead: number; meanRoundMs: number; pollMs: number };
  method: string;
}

/** One probe's times on the epoch clock (ms), for splitting its latency into hops. */
export interface ProbeTimes {
  op: Op;
  /** The row's primary key (paymentid). */
  id: number;
  /** The DynamoDB key as text (`sdkKeyText` of the mapped key). */
  keyText: string;
  committedMs: number;
  visibleMs: number;
}

interface Probe {
  index: number;
  op: Op;
  key: AttributeMap;
  keyText: string;
  id: number;
  /** For updates: the item must carry this change's sequence number (or a later one). */
  sequence?: number;
  committedAt: number;
  visibleAt?: number;
}

const TOKEN = 'LAG-';
/** Pending probes read per round: ≤ 1,250 strongly consistent reads/s at a 20 ms interval. */
const READ_WINDOW = 25;

/**
 * A steady load of single-row inserts, updates and deletes at `rate` changes/s for `seconds`,
 * while a read loop polls DynamoDB (BatchGetItem, strongly consistent) for a sample of them: an
 * insert is visible when its item exists, an update when the item carries the update's token in
 * TransactionReference (or a later one), a delete when the item is gone. Latency = the moment the
 * read loop first saw the change − the moment its autocommit returned to the benchmark. The keys
 * come from `mapRow` on the row Postgres returned (RETURNING *), so they are the pipeline's own.
 */
export async function measureStreamingLag(options: StreamingOptions): Promise<StreamingResult & { probeTimes: ProbeTimes[] }> {
  const total = Math.round(options.rate * options.seconds);
  const ops = scheduleOps(total, options.mix);
  const needDeletes = ops.filter((op) => op === 'delete').length;
  if (needDeletes > options.deleteIds.length) {
    throw new Error(`the streaming phase needs ${needDeletes} rows to delete but only ${options.deleteIds.length} are set aside: load more rows (--rows) or lower --lag-rate, --lag-seconds or the delete share of --lag-mix`);
  }
  if (ops.includes('update') && options.updateIds.length === 0) throw new Error('the streaming phase has no rows to update');
  const changes: Record<Op, number> = { insert: 0, update: 0, delete: 0 };
  const statementMs: number[] = [];
  const probes: Probe[] = [];
  const pending = new Map<string, Probe[]>();
  let updates = 0;
  let deletes = 0;
  let next = 0;
  let maxBehind = 0;
  let lastCommit = 0;
  const interval = 1000 / options.rate;
  const started = performance.now() + 50;

  let reading = true;
  const loop = readLoop(options, pending, () => reading);

  const worker = async (): Promise<void> => {
    const client = await options.pool.connect();
    try {
      while (next < total) {
        const index = next++;
        const due = started + index * interval;
        const wait = due - performance.now();
        if (wait > 1) await sleep(wait);
        else maxBehind = Math.max(maxBehind, -wait);
        const op = ops[index] as Op;
        const sent = performance.now();
        let row: QueryResultRow | undefined;
        let sequence: number | undefined;
        if (op === 'insert') {
          const at = new Date(Date.UTC(2026, 0, 1) + index * 1000).toISOString();
          const result = await client.query({
            text: `INSERT INTO payments (customerid, loanid, paymentamount, paymentdate, paymentmethod, paymentstatus, transactionreference, createddate)
                   VALUES ($1, $2, $3, $4, 'CARD', 'PENDING', $5, now()) RETURNING *`,
            values: [1 + (index % 2000), 10000 + (index % 5000), (10 + (index % 1000) / 100).toFixed(2), at, `${TOKEN}${index}`],
            types: RAW_TEXT_TYPES,
          });
          row = result.rows[0];
        } else if (op === 'update') {
          const id = options.updateIds[updates++ % options.updateIds.length] as number;
          sequence = index;
          const result = await client.query({
            text: `UPDATE payments SET transactionreference = $2, updateddate = now() WHERE paymentid = $1 RETURNING *`,
            values: [id, `${TOKEN}${index}`],
            types: RAW_TEXT_TYPES,
          });
          row = result.rows[0];
        } else {
          const id = options.deleteIds[deletes++] as number;
          const result = await client.query({ text: `DELETE FROM payments WHERE paymentid = $1 RETURNING *`, values: [id], types: RAW_TEXT_TYPES });
          row = result.rows[0];
        }
        const committedAt = performance.now();
        lastCommit = Math.max(lastCommit, committedAt);
        statementMs.push(committedAt - sent);
        if (!row) throw new Error(`${op} of change ${index} touched no row (was it deleted or updated by someone else?)`);
        changes[op]++;
        if (sampled(index, options.probeEvery)) {
          const mapped = mapRow(options.entity, row);
          if (mapped.kind !== 'item') throw new Error(`entity ${options.entity.name} is embedded; the streaming phase needs own items`);
          const keyText = sdkKeyText(toSdkItem(mapped.key), Object.keys(mapped.key));
          const probe: Probe = { index, op, key: mapped.key, keyText, id: Number(row.paymentid), committedAt, ...(sequence === undefined ? {} : { sequence }) };
          probes.push(probe);
          pending.set(keyText, [...(pending.get(keyText) ?? []), probe]);
        }
      }
    } finally {
      client.release();
    }
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  const drainDeadline = performance.now() + options.drainSeconds * 1000;
  while (pending.size > 0 && performance.now() < drainDeadline) await sleep(50);
  reading = false;
  const rounds = await loop;

  const seen = probes.filter((probe) => probe.visibleAt !== undefined);
  const latencies = seen.map((probe) => (probe.visibleAt as number) - probe.committedAt).sort((a, b) => a - b);
  const byOp = (op: Op) => {
    const values = seen.filter((probe) => probe.op === op).map((probe) => (probe.visibleAt as number) - probe.committedAt).sort((a, b) => a - b);
    return values.length === 0 ? null : { p50: Math.round(percentile(values, 50)), p99: Math.round(percentile(values, 99)) };
  };
  const sortedStatements = [...statementMs].sort((a, b) => a - b);
  const achieved = total / ((lastCommit - started) / 1000);
  const epoch = (at: number): number => performance.timeOrigin + at;
  const probeTimes = seen.map((probe) => ({ op: probe.op, id: probe.id, keyText: probe.keyText, committedMs: epoch(probe.committedAt), visibleMs: epoch(probe.visibleAt as number) }));
  return {
    probeTimes,
    scheduledRate: options.rate,
    seconds: options.seconds,
    changes,
    achievedChangesPerSecond: Math.round(achieved),
    maxBehindScheduleMs: Math.round(maxBehind),
    statementMs: { p50: round1(percentile(sortedStatements, 50)), p99: round1(percentile(sortedStatements, 99)) },
    probes: {
      sent: probes.length,
      seen: seen.length,
      unresolved: probes.length - seen.length,
      byOp: { insert: probes.filter((p) => p.op === 'insert').length, update: probes.filter((p) => p.op === 'update').length, delete: probes.filter((p) => p.op === 'delete').length },
    },
    latencyMs:
      latencies.length === 0
        ? null
        : {
            p50: Math.round(percentile(latencies, 50)),
            p95: Math.round(percentile(latencies, 95)),
            p99: Math.round(percentile(latencies, 99)),
            max: Math.round(latencies[latencies.length - 1] as number),
            mean: Math.round(latencies.reduce((sum, value) => sum + value, 0) / latencies.length),
          },
    latencyByOpMs: { insert: byOp('insert'), update: byOp('update'), delete: byOp('delete') },
    readLoop: { rounds: rounds.count, keysRead: rounds.keys, meanRoundMs: rounds.count === 0 ? 0 : round1(rounds.ms / rounds.count), pollMs: options.pollMs },
    method:
      `${options.connections} connections issue single-row autocommit INSERT/UPDATE/DELETE … RETURNING * on a fixed schedule (${options.rate}/s for ${options.seconds} s, mix ` +
      `${options.mix.insert}/${options.mix.update}/${options.mix.delete}); one change in ${options.probeEvery} (spread over all kinds) is probed: a read loop every ${options.pollMs} ms (up to ${options.maxPollMs ?? 200} ms while nothing changes) sends ` +
      `one strongly consistent BatchGetItem for the oldest ≤${READ_WINDOW} pending probes; latency = first read that shows the change − the moment its commit returned`,
  };
}

/**
 * The read loop: one BatchGetItem per round for the oldest pending probes (at most 25 keys),
 * every pollMs. Oldest first and one call per round bound the load the measurement itself puts on
 * the DynamoDB emulator (it shares the cores with the writer): under a backlog, newer probes wait until
 * older ones are seen, which delays their detection by at most the rounds they wait — while the
 * lag is seconds. A round that sees nothing new doubles the interval (up to 200 ms); one that does
 * goes back to pollMs.
 */
async function readLoop(options: StreamingOptions, pending: Map<string, Probe[]>, running: () => boolean): Promise<{ count: number; ms: number; keys: number }> {
  let count = 0;
  let ms = 0;
  let keysRead = 0;
  let interval = options.pollMs;
  while (running()) {
    const roundStart = performance.now();
    const keys: string[] = [];
    for (const key of pending.keys()) {
      keys.push(key);
      if (keys.length === READ_WINDOW) break;
    }
    if (keys.length > 0) {
      const before = pending.size;
      await checkChunk(options, pending, keys);
      count++;
      keysRead += keys.length;
      ms += performance.now() - roundStart;
      interval = pending.size < before ? options.pollMs : Math.min(options.maxPollMs ?? 200, interval * 2);
    } else {
      interval = options.pollMs;
    }
    const rest = interval - (performance.now() - roundStart);
    if (rest > 0) await sleep(rest);
  }
  return { count, ms, keys: keysRead };
}

async function checkChunk(options: StreamingOptions, pending: Map<string, Probe[]>, keyTexts: string[]): Promise<void> {
  const first = (pending.get(keyTexts[0] as string) ?? [])[0] as Probe;
  const keyNames = Object.keys(first.key);
  const names: Record<string, string> = { '#tr': 'TransactionReference' };
  keyNames.forEach((name, index) => (names[`#k${index}`] = name));
  const request: KeysAndAttributes = {
    Keys: keyTexts.map((text) => toSdkItem((pending.get(text) ?? [])[0]?.key ?? {})),
    ConsistentRead: true,
    ProjectionExpression: [...keyNames.map((_name, index) => `#k${index}`), '#tr'].join(', '),
    ExpressionAttributeNames: names,
  };
  const sentAt = performance.now();
  const response = await options.dynamo.send(new BatchGetItemCommand({ RequestItems: { [options.table]: request } }));
  const seenAt = performance.now();
  const unprocessed = new Set((response.UnprocessedKeys?.[options.table]?.Keys ?? []).map((key) => sdkKeyText(key, keyNames)));
  const found = new Map<string, string>();
  for (const item of response.Responses?.[options.table] ?? []) found.set(sdkKeyText(item, keyNames), item.TransactionReference?.S ?? '');
  for (const text of keyTexts) {
    if (unprocessed.has(text)) continue;
    const exists = found.has(text);
    const token = found.get(text);
    const still = (pending.get(text) ?? []).filter((probe) => {
      // A probe committed after this read was sent is judged by a later read.
      if (probe.committedAt > sentAt) return true;
      let visible: boolean;
      if (probe.op === 'insert') visible = exists;
      else if (probe.op === 'delete') visible = !exists;
      else visible = exists && token !== undefined && token.startsWith(TOKEN) && Number(token.slice(TOKEN.length)) >= (probe.sequence ?? 0);
      if (visible) probe.visibleAt = seenAt;
      return !visible;
    });
    if (still.length === 0) pending.delete(text);
    else pending.set(text, still);
  }
}

/** A key as text, from its attributes in a fixed order (SDK attribute-value form). */
export function sdkKeyText(item: Record<string, SdkAttributeValue>, keyNames: readonly string[]): string {
  return JSON.stringify(keyNames.map((name) => item[name]));
}

/** Spreads the kinds of change evenly: each next change is the kind furthest behind its share. */
function scheduleOps(total: number, mix: Record<Op, number>): Op[] {
  const kinds = (Object.keys(mix) as Op[]).filter((op) => mix[op] > 0);
  const sum = kinds.reduce((acc, op) => acc + mix[op], 0);
  if (sum <= 0) throw new Error('--lag-mix needs at least one positive share');
  const done: Record<Op, number> = { insert: 0, update: 0, delete: 0 };
  const ops: Op[] = [];
  for (let index = 0; index < total; index++) {
    let best = kinds[0] as Op;
    let bestDeficit = -Infinity;
    for (const op of kinds) {
      const deficit = ((index + 1) * mix[op]) / sum - done[op];
      if (deficit > bestDeficit) {
        best = op;
        bestDeficit = deficit;
      }
    }
    done[best]++;
    ops.push(best);
  }
  return ops;
}

/** A hash of the index, so probes fall on every kind of change rather than on one phase of the mix cycle. */
function sampled(index: number, every: number): boolean {
  let h = Math.imul(index ^ (index >>> 16), 0x45d9f3b);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  h ^= h >>> 16;
  return (h >>> 0) % every === 0;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
