import type { WriteCommand } from '@pg2ddb/contracts';
import { DynamoError, DynamoErrorCode, type PersistOutcome } from '@pg2ddb/dynamo';
import { sortOutcomes } from './sort-outcomes';

const command = (committedAtMs?: number): WriteCommand =>
  ({ v: 1, op: 'put', table: 'T', key: { PK: { S: 'a' } }, version: '0'.repeat(33), ...(committedAtMs === undefined ? {} : { source: { committedAtMs } }) }) as unknown as WriteCommand;
const failed = (code: string, retriable: boolean): PersistOutcome => ({ status: 'failed', error: new DynamoError(code as DynamoErrorCode, `${code} happened`, { retriable }) });

describe('sortOutcomes', () => {
  const context = { attempt: 0, unknownErrorBatchAttempts: 3, ackedAtMs: 10_000 };

  it('counts applied commands and their commit → ack lag, and ignores stale and superseded ones', () => {
    const sorted = sortOutcomes([command(9_000), command(), command(9_500), command(1)], [{ status: 'applied' }, { status: 'applied' }, { status: 'stale' }, { status: 'superseded' }], context);
    expect(sorted).toEqual({ applied: 2, lagSeconds: [1], dead: [] });
  });

  it('keeps the first retriable failure for a retry of the batch and dead-letters permanent ones with code and reason', () => {
    const sorted = sortOutcomes(
      [command(), command(), command()],
      [failed(DynamoErrorCode.VALIDATION, false), failed(DynamoErrorCode.THROTTLED, true), failed(DynamoErrorCode.SERVICE_UNAVAILABLE, true)],
      context,
    );
    expect((sorted.retriable as DynamoError).code).toBe(DynamoErrorCode.THROTTLED);
    expect(sorted.dead).toEqual([{ index: 0, code: DynamoErrorCode.VALIDATION, reason: `${DynamoErrorCode.VALIDATION} happened` }]);
  });

  it('retries an unknown error with the batch only until its attempts are used up, then dead-letters it', () => {
    const outcomes = [failed(DynamoErrorCode.UNKNOWN, true)];
    expect(sortOutcomes([command()], outcomes, { ...context, attempt: 1 }).retriable).toBeDefined();
    const givenUp = sortOutcomes([command()], outcomes, { ...context, attempt: 2 });
    expect(givenUp.retriable).toBeUndefined();
    expect(givenUp.dead).toEqual([{ index: 0, code: DynamoErrorCode.UNKNOWN, reason: `${DynamoErrorCode.UNKNOWN} happened` }]);
  });
});
