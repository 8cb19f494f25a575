import type { WriteCommand } from '@pg2ddb/contracts';
import { DynamoErrorCode, type PersistOutcome } from '@pg2ddb/dynamo';
import { errorCode, errorMessage, isRetriable } from '@pg2ddb/errors';

/** What a batch's outcomes ask of the writer: commit, retry the batch, dead-letter some commands. */
export interface SortedOutcomes {
  applied: number;
  /** Commit → acknowledged lag of each applied command that carries its commit time, in seconds. */
  lagSeconds: number[];
  /** The first failure that a later attempt at the whole batch may overcome (then nothing commits). */
  retriable?: unknown;
  /** Commands that can never succeed, by position, with the code and reason for their letter. */
  dead: Array<{ index: number; code: string; reason: string }>;
}

/**
 * Sorts a persisted batch's outcomes. An unrecognised error is retried with the batch, but only
 * for `unknownErrorBatchAttempts` attempts: then it is dead-lettered with its message rather than
 * stalling the partition for good (a later command of the same item, blocked behind it, goes with
 * it, so the item's order is kept in the DLQ).
 */
export function sortOutcomes(
  commands: readonly WriteCommand[],
  outcomes: readonly PersistOutcome[],
  context: { attempt: number; unknownErrorBatchAttempts: number; ackedAtMs: number },
): SortedOutcomes {
  const sorted: SortedOutcomes = { applied: 0, lagSeconds: [], dead: [] };
  outcomes.forEach((outcome, index) => {
    if (outcome.status === 'applied') {
      sorted.applied++;
      const committedAt = commands[index]?.source?.committedAtMs;
      if (typeof committedAt === 'number' && committedAt > 0) sorted.lagSeconds.push(Math.max(0, context.ackedAtMs - committedAt) / 1000);
      return;
    }
    if (outcome.status !== 'failed') return;
    const unknown = errorCode(outcome.error) === DynamoErrorCode.UNKNOWN || errorCode(outcome.error.cause) === DynamoErrorCode.UNKNOWN;
    const unknownGivenUp = unknown && context.attempt + 1 >= context.unknownErrorBatchAttempts;
    if (isRetriable(outcome.error) && !unknownGivenUp) {
      sorted.retriable ??= outcome.error;
      return;
    }
    sorted.dead.push({ index, code: errorCode(outcome.error), reason: errorMessage(outcome.error) });
  });
  return sorted;
}
