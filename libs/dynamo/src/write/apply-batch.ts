import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type WriteCommand, writeCommandKey } from '@pg2ddb/contracts';

import { retryWithBackoff, type RetryOptions } from '@pg2ddb/errors';
import { applyCommand } from './apply-command';
import { classifyDynamoError } from '../sdk/classify-dynamo-error';
import { DynamoError, DynamoErrorCode } from '../sdk/dynamo-error';

/** How applyBatch spreads and retries the work. */
export interface ApplyBatchOptions extends RetryOptions {
  /** Items written at the same time (commands of one item are always sequential). */
  concurrency: number;
  /** Awaited before every write call; throwing rejects the whole applyBatch with that error (a fence). */
  beforeWrite?: () => Promise<void>;
}

/** What happened to one command of a batch. */
export type CommandOutcome =
  | { readonly status: 'applied' }
  | { readonly status: 'stale' }
  | { readonly status: 'failed'; readonly error: DynamoError; readonly attempts: number };

/** Per-command outcomes in input order, and their counts. */
export interface BatchResult {
  outcomes: CommandOutcome[];
  counts: { applied: number; stale: number; failed: number };
}

// Shared, frozen outcomes: the common cases allocate nothing per command.
const APPLIED: CommandOutcome = Object.freeze({ status: 'applied' });
const STALE: CommandOutcome = Object.freeze({ status: 'stale' });

/**
 * Applies write commands with the version guard. Commands for the same item (same table and key,
 * as `writeCommandKey` says) run strictly in the given order; different items run concurrently,
 * up to `concurrency`. Retriable failures are retried with exponential backoff and full jitter up
 * to `retry.maxAttempts`; what still fails is reported, never thrown: the caller dead-letters
 * permanent failures and continues, and must not commit past a retriable one.
 *
 * Once a command fails retriably, the later commands of the same item are not attempted (they
 * fail with the retriable PRECEDING_COMMAND_FAILED): applying a newer update first would make
 * the older one stale when it is retried, losing the attributes only it changes. After a
 * permanent failure the item's later commands still run, as the dead-letter path expects.
 *
 * A `stale` outcome after a retry can mean the earlier attempt landed but its answer was lost;
 * either way the item holds this version or a newer one.
 */
export async function applyBatch(
  client: DynamoDBClient,
  commands: readonly WriteCommand[],
  options: ApplyBatchOptions,
): Promise<BatchResult> {
  checkOptions(options);
  const count = commands.length;
  const outcomes = new Array<CommandOutcome>(count);
  // Per item, a linked list through the batch: heads[] holds each item's first command, next[i]
  // the item's command after i (-1 at the end). One pass, no per-item arrays.
  const next = new Int32Array(count).fill(-1);
  const heads: number[] = [];
  const tails = new Map<string, number>();
  for (let index = 0; index < count; index++) {
    const key = itemKey(commands[index] as WriteCommand, index);
    const tail = tails.get(key);
    if (tail === undefined) heads.push(index);
    else next[tail] = index;
    tails.set(key, index);
  }

  let cursor = 0;

  const attempt = async (index: number): Promise<CommandOutcome> => {
    const command = commands[index] as WriteCommand;
    const onRetry = options.onRetry;
    const retryOptions: RetryOptions = { ...options, onRetry: onRetry && ((event) => onRetry({ ...event, index })) };
    let tried = 0;
    try {
      return await retryWithBackoff<CommandOutcome>('single', retryOptions, async () => {
        // A fence is not this command's failure: it rejects the whole batch, never retried.
        await options.beforeWrite?.().catch((error: unknown) => {
          throw new Fenced(error);
        });
        tried++;
        try {
          return { done: (await applyCommand(client, command)) === 'applied' ? APPLIED : STALE };
        } catch (thrown) {
          const error = classifyDynamoError(thrown);
          if (!error.retriable) return { done: { status: 'failed', error, attempts: tried } };
          throw error;
        }
      });
    } catch (thrown) {
      if (thrown instanceof Fenced) throw thrown.cause;
      return { status: 'failed', error: thrown as DynamoError, attempts: tried };
    }
  };

  const worker = async (): Promise<void> => {
    while (cursor < heads.length) {
      let index = heads[cursor++] as number;
      let blockedBy: DynamoError | undefined;
      while (index !== -1) {
        const outcome = blockedBy === undefined ? await attempt(index) : precedingFailed(blockedBy, commands[index]);
        outcomes[index] = outcome;
        if (blockedBy === undefined && outcome.status === 'failed' && outcome.error.retriable) blockedBy = outcome.error;
        index = next[index] as number;
      }
    }
  };

  const workers: Promise<void>[] = [];
  for (let w = Math.min(options.concurrency, heads.length); w > 0; w--) workers.push(worker());
  await Promise.all(workers);

  let applied = 0;
  let stale = 0;
  for (const outcome of outcomes) {
    if (outcome === APPLIED) applied++;
    else if (outcome === STALE) stale++;
  }
  return { outcomes, counts: { applied, stale, failed: count - applied - stale } };
}

function itemKey(command: WriteCommand, index: number): string {
  try {
    return writeCommandKey(command);
  } catch {
    // A command too malformed to have a key is its own group; applyCommand rejects it permanently.
    return `\u0000malformed#${index}`;
  }
}

function precedingFailed(cause: DynamoError, command: WriteCommand | undefined): CommandOutcome {
  const error = new DynamoError(
    DynamoErrorCode.PRECEDING_COMMAND_FAILED,
    `Not attempted: an earlier command for the same item failed (${cause.code})`,
    { retriable: true, cause, details: { table: command?.table, version: command?.version } },
  );
  return { status: 'failed', error, attempts: 0 };
}

/** Carries a fence's error past the retry loop untouched. */
class Fenced {
  constructor(readonly cause: unknown) {}
}

function checkOptions(options: ApplyBatchOptions): void {
  const { concurrency, retry } = options;
  const problems: string[] = [];
  if (!Number.isInteger(concurrency) || concurrency < 1) problems.push('concurrency must be an integer >= 1');
  if (!Number.isInteger(retry?.maxAttempts) || retry.maxAttempts < 1) problems.push('retry.maxAttempts must be an integer >= 1');
  if (!(retry?.baseDelayMs >= 0)) problems.push('retry.baseDelayMs must be >= 0');
  if (!(retry?.maxDelayMs >= 0)) problems.push('retry.maxDelayMs must be >= 0');
  if (problems.length > 0) {
    throw new DynamoError(DynamoErrorCode.INVALID_OPTIONS, `Invalid applyBatch options: ${problems.join('; ')}`);
  }
}
