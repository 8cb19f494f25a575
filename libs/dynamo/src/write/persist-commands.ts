import type { DynamoDBClient, WriteRequest } from '@aws-sdk/client-dynamodb';
import type { DeleteCommand, WriteCommand } from '@pg2ddb/contracts';
import { planItemWrites, type CommandFate, type StoredVersions } from '@pg2ddb/sync';

import { applyBatch } from './apply-batch';
import type { RetryPolicy } from '@pg2ddb/errors';
import { checkCommand } from './check-command';
import { classifyDynamoError } from '../sdk/classify-dynamo-error';
import type { DynamoError } from '../sdk/dynamo-error';
import type { RetryEvent } from '@pg2ddb/errors';
import { buildGuardedPut } from './guarded-put';
import { itemIdentity } from './item-identity';
import { readStoredVersions, type ItemRef } from './read-stored-versions';
import { toSdkItem } from '../sdk/to-sdk-attribute-value';
import { TOMBSTONES, type TombstoneTables } from '../table/tombstone-table';
import { VERSION_GUARD } from './version-guard';
import { writeItemBatches, type ItemWriteRequest } from './write-item-batches';

/** What became of one command. */
export type PersistOutcome =
  | { readonly status: 'applied' }
  /** The table already held this version or a newer one (or a newer delete). */
  | { readonly status: 'stale' }
  /** A newer command of the same item in the same batch made this one irrelevant. */
  | { readonly status: 'superseded' }
  | { readonly status: 'failed'; readonly error: DynamoError };

/** Outcomes in input order, their counts, and how many requests it took. */
export interface PersistResult {
  outcomes: PersistOutcome[];
  counts: { applied: number; stale: number; superseded: number; failed: number };
}

/** How persistCommands spreads, retries and reports its work. */
export interface PersistOptions {
  /** DynamoDB requests in flight at once. */
  concurrency: number;
  retry: RetryPolicy;
  /** Where each synced table's tombstone table is (created on first use). */
  tombstones: TombstoneTables;
  /** How long a tombstone is kept (its TTL). A command older than a tombstone that expired can no longer be refused. */
  tombstoneTtlSeconds: number;
  /** Every retry of a batch call (throttling, unprocessed items, faults) and of a single-item write. */
  onRetry?: (event: RetryEvent) => void;
  /** Every BatchWriteItem call, with its number of requests. */
  onBatchCall?: (requests: number) => void;
  /**
   * Awaited before every write call (batch or single); throwing stops the batch, and
   * persistCommands rejects with that error. The writer fences a revoked partition with it.
   */
  beforeWrite?: () => Promise<void>;
  /** Write everything conditionally (single-item writes under the guard), e.g. when the batch is retried. */
  conditionalWrites?: boolean;
  /**
   * Stored versions already known, by item id: those items are not read again, and the map is kept
   * up to date with what this call read and wrote. Sound with `conditionalWrites` (a cached version
   * may be older than the table's; the condition decides), or without when the caller is the only
   * writer of these items since the versions were read (the writer's per-partition cache, dropped
   * whenever it may have lost the partition) — then the cache says what a read would.
   */
  versionCache?: Map<string, StoredVersions>;
  /** Test seams. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const APPLIED: PersistOutcome = Object.freeze({ status: 'applied' });
const STALE: PersistOutcome = Object.freeze({ status: 'stale' });
const SUPERSEDED: PersistOutcome = Object.freeze({ status: 'superseded' });

/**
 * Persists a batch of write commands with the version guard, fast:
 *
 * 1. reads every item's stored `_ver` and tombstone version (consistent BatchGetItem, 50 items a call);
 * 2. plans the fewest writes (`planItemWrites`): stale commands are dropped, and per item only the
 *    newest whole-item command is written;
 * 3. writes those with BatchWriteItem (25 a call): a delete removes the item and records a
 *    tombstone in the companion table, so an older put can never bring it back;
 * 4. items with partial updates, and the items of a batch call DynamoDB refused as a whole (one item
 *    over 400 KB fails its whole call), go through single-item conditional writes, which find the
 *    culprit and keep the guard in DynamoDB's condition expression.
 *
 * The read-then-write guard is exact as long as one writer at a time owns an item — which the
 * writes topic gives: it is keyed by item, and a partition has one consumer in the group. Never
 * throws for a command's failure: retriable failures (after the retries) and permanent ones are
 * reported per command; the caller dead-letters permanent ones and must not commit past retriable
 * ones. Throws only if reading the stored versions fails retriably (nothing was written then).
 */
export async function persistCommands(
  client: DynamoDBClient,
  commands: readonly WriteCommand[],
  options: PersistOptions,
): Promise<PersistResult> {
  const outcomes = new Array<PersistOutcome | undefined>(commands.length);
  const valid: number[] = [];
  const ids: string[] = [];
  const refs = new Map<string, ItemRef>();
  const tombstoneTables = new Map<string, string>();
  for (const table of new Set(commands.map((command) => command?.table).filter((table): table is string => typeof table === 'string' && table !== ''))) {
    tombstoneTables.set(table, await options.tombstones.ensure(table));
  }
  commands.forEach((command, index) => {
    try {
      checkCommand(command);
      const id = itemIdentity(command.table, command.key);
      valid.push(index);
      ids.push(id);
      if (!refs.has(id)) refs.set(id, { id, table: command.table, key: command.key, tombstoneTable: tombstoneTables.get(command.table) as string });
    } catch (error) {
      outcomes[index] = { status: 'failed', error: classifyDynamoError(error) };
    }
  });

  const retryOptions = { retry: options.retry, onRetry: options.onRetry, sleep: options.sleep, random: options.random };
  const cache = options.versionCache;
  const toRead = [...refs.values()].filter((ref) => !cache?.has(ref.id));
  const stored = await readStoredVersions(client, toRead, { ...retryOptions, concurrency: options.concurrency });
  if (cache) {
    for (const ref of toRead) if (!stored.refused.has(ref.id)) cache.set(ref.id, { ...(stored.versions.get(ref.id) ?? {}) });
    for (const ref of refs.values()) {
      const known = cache.get(ref.id);
      if (known !== undefined) stored.versions.set(ref.id, { ...known });
    }
  }
  const readable = valid.filter((index, position) => {
    const refused = stored.refused.get(ids[position] as string);
    if (refused !== undefined) outcomes[index] = { status: 'failed', error: refused };
    return refused === undefined;
  });
  const readableIds = readable.map((index) => itemIdentity((commands[index] as WriteCommand).table, (commands[index] as WriteCommand).key));
  const plan = planItemWrites(
    readable.map((index) => commands[index] as WriteCommand),
    readableIds,
    stored.versions,
  );
  plan.fates.forEach((fate: CommandFate, position) => {
    if (fate !== 'planned') outcomes[readable[position] as number] = fate === 'stale' ? STALE : SUPERSEDED;
  });

  // Phase 1: batch writes of whole items (and tombstones of deletes).
  const requests: ItemWriteRequest[] = [];
  const singles: number[] = [];
  const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);
  plan.writes.forEach((write, writeIndex) => {
    const owner = readable[(plan.sources[writeIndex] as number[])[0] as number] as number;
    if (write.kind === 'conditional') {
      for (const position of plan.sources[writeIndex] as number[]) singles.push(readable[position] as number);
      return;
    }
    const keyNames = Object.keys(write.command.key);
    try {
      if (write.kind === 'put') {
        requests.push({ table: write.command.table, keyNames, owner, request: { PutRequest: { Item: buildGuardedPut(write.command).Item } } });
        return;
      }
      if (write.itemExists) {
        requests.push({ table: write.command.table, keyNames, owner, version: write.command.version, request: { DeleteRequest: { Key: toSdkItem(write.command.key) } } });
      }
      requests.push(tombstoneRequest(write.command, tombstoneTables, keyNames, owner, nowSeconds + options.tombstoneTtlSeconds));
    } catch (error) {
      outcomes[owner] = { status: 'failed', error: classifyDynamoError(error) };
    }
  });
  const writeOptions = { ...retryOptions, concurrency: options.concurrency, onCall: options.onBatchCall, beforeWrite: options.beforeWrite };
  const batchFailures = await writeItemBatches(client, requests, { ...writeOptions, conditional: options.conditionalWrites === true });
  for (const [owner, error] of batchFailures.retriable) outcomes[owner] = { status: 'failed', error };
  const refusedOwners = [...new Set(batchFailures.refused.keys())].filter((owner) => !batchFailures.retriable.has(owner));
  const landed = await landedDespiteRefusal(client, refusedOwners, commands, tombstoneTables, { ...retryOptions, concurrency: options.concurrency });
  for (const owner of refusedOwners) {
    if (landed.has(owner)) outcomes[owner] = APPLIED;
    else singles.push(owner);
  }
  for (const request of requests) {
    if (outcomes[request.owner] === undefined && !batchFailures.refused.has(request.owner)) outcomes[request.owner] = APPLIED;
  }

  // Phase 2: single-item conditional writes, in input order per item.
  singles.sort((a, b) => a - b);
  const singleCommands = singles.map((index) => commands[index] as WriteCommand);
  const singleResult = await applyBatch(client, singleCommands, {
    concurrency: options.concurrency,
    retry: options.retry,
    onRetry: options.onRetry,
    beforeWrite: options.beforeWrite,
    sleep: options.sleep,
    random: options.random,
  });
  const deletedSingly: Array<{ index: number; command: DeleteCommand }> = [];
  singleResult.outcomes.forEach((outcome, position) => {
    const index = singles[position] as number;
    const command = commands[index] as WriteCommand;
    if (outcome.status === 'failed') outcomes[index] = { status: 'failed', error: outcome.error };
    else if (outcome.status === 'stale') outcomes[index] = STALE;
    else if (command.op === 'delete') deletedSingly.push({ index, command });
    else outcomes[index] = APPLIED;
  });

  // Phase 3: tombstones of the deletes phase 2 applied.
  const tombstones = deletedSingly.map(({ index, command }) =>
    tombstoneRequest(command, tombstoneTables, Object.keys(command.key), index, nowSeconds + options.tombstoneTtlSeconds),
  );
  const tombstoneFailures = await writeItemBatches(client, tombstones, writeOptions);
  for (const { index } of deletedSingly) {
    const error = tombstoneFailures.retriable.get(index) ?? tombstoneFailures.refused.get(index);
    outcomes[index] = error === undefined ? APPLIED : { status: 'failed', error };
  }

  const final = outcomes.map((outcome) => outcome ?? STALE);
  if (cache) rememberWrites(cache, commands, final);
  const counts = { applied: 0, stale: 0, superseded: 0, failed: 0 };
  for (const outcome of final) counts[outcome.status]++;
  return { outcomes: final, counts };
}

/**
 * DynamoDB refuses a BatchWriteItem call as a whole (nothing written) when one request is invalid,
 * but DynamoDB-compatible emulators (moto) may write the requests before the invalid one. Every
 * refused command was planned as newer than the stored version, so a consistent re-read that finds
 * exactly its version (or, for a delete, its tombstone and no item) means the refused call wrote
 * it: it is applied, not redone (where its conditional write would report it stale). If the
 * re-read fails, every refused command is redone singly, as without it.
 */
async function landedDespiteRefusal(
  client: DynamoDBClient,
  owners: readonly number[],
  commands: readonly WriteCommand[],
  tombstoneTables: ReadonlyMap<string, string>,
  options: Parameters<typeof readStoredVersions>[2],
): Promise<Set<number>> {
  const landed = new Set<number>();
  if (owners.length === 0) return landed;
  const refs = new Map<string, ItemRef>();
  for (const owner of owners) {
    const command = commands[owner] as WriteCommand;
    const id = itemIdentity(command.table, command.key);
    refs.set(id, { id, table: command.table, key: command.key, tombstoneTable: tombstoneTables.get(command.table) as string });
  }
  const stored = await readStoredVersions(client, [...refs.values()], options).catch(() => undefined);
  if (stored === undefined) return landed;
  for (const owner of owners) {
    const command = commands[owner] as WriteCommand;
    const versions = stored.versions.get(itemIdentity(command.table, command.key));
    const written = command.op === 'delete' ? versions?.item === undefined && versions?.exists !== true && versions?.tombstone === command.version : versions?.item === command.version;
    if (written) landed.add(owner);
  }
  return landed;
}

function tombstoneRequest(
  command: DeleteCommand,
  tombstoneTables: ReadonlyMap<string, string>,
  keyNames: readonly string[],
  owner: number,
  expiresAt: number,
): ItemWriteRequest {
  const item: WriteRequest['PutRequest'] = {
    Item: {
      ...toSdkItem(command.key),
      [VERSION_GUARD.attribute]: { S: command.version },
      [TOMBSTONES.expiresAttribute]: { N: String(expiresAt) },
    },
  };
  return { table: tombstoneTables.get(command.table) as string, keyNames, owner, request: { PutRequest: item } };
}

/** What the table holds after the applied commands, in input order (the next attempt reads no version it wrote). */
function rememberWrites(cache: Map<string, StoredVersions>, commands: readonly WriteCommand[], outcomes: readonly PersistOutcome[]): void {
  outcomes.forEach((outcome, index) => {
    if (outcome.status !== 'applied') return;
    const command = commands[index] as WriteCommand;
    const id = itemIdentity(command.table, command.key);
    const known = cache.get(id) ?? {};
    if (command.op === 'delete') cache.set(id, { tombstone: command.version });
    else if (command.op === 'update' && command.guard !== undefined) cache.set(id, { ...known, exists: true });
    else cache.set(id, { ...known, item: command.version, exists: true });
  });
}
