import { backoffDelay, retryWithBackoff, type RetryEvent } from './retry';

describe('backoffDelay', () => {
  const policy = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1000 };

  it('doubles the ceiling per failed attempt up to the bound (full jitter: random × ceiling)', () => {
    const nearlyOne = () => 0.999999;
    expect([1, 2, 3, 4, 5, 40].map((attempt) => backoffDelay(attempt, policy, nearlyOne))).toEqual([99, 199, 399, 799, 999, 999]);
  });

  it('can be zero, never negative or above the bound', () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    for (let attempt = 1; attempt < 100; attempt++) {
      const delay = backoffDelay(attempt, policy);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(1000);
    }
  });
});

describe('retryWithBackoff', () => {
  const retry = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000 };
  const retriable = (code: string) => Object.assign(new Error(code), { code, retriable: true });
  const seams = (events: RetryEvent[], slept: number[]) => ({ retry, onRetry: (event: RetryEvent) => events.push(event), sleep: async (ms: number) => void slept.push(ms), random: () => 0.5 });

  it('retries a retriable error with growing, capped backoff, reporting each retry, until it succeeds', async () => {
    const events: RetryEvent[] = [];
    const slept: number[] = [];
    let calls = 0;
    const result = await retryWithBackoff('BatchWriteItem', seams(events, slept), async () => {
      calls++;
      if (calls === 1) throw retriable('DYNAMO_THROTTLED');
      if (calls === 2) throw retriable('DYNAMO_UNAVAILABLE');
      return { done: 'ok' };
    }, 7);
    expect(result).toBe('ok');
    expect(slept).toEqual([50, 100]);
    expect(events.map(({ operation, reason, attempt, delayMs, items }) => ({ operation, reason, attempt, delayMs, items }))).toEqual([
      { operation: 'BatchWriteItem', reason: 'throttled', attempt: 1, delayMs: 50, items: 7 },
      { operation: 'BatchWriteItem', reason: 'error', attempt: 2, delayMs: 100, items: 7 },
    ]);
  });

  it('throws a non-retriable error at once, and the last retriable one when attempts run out', async () => {
    const permanent = Object.assign(new Error('bad key'), { code: 'DYNAMO_VALIDATION', retriable: false });
    let calls = 0;
    await expect(retryWithBackoff('op', seams([], []), async () => {
      calls++;
      throw permanent;
    })).rejects.toBe(permanent);
    expect(calls).toBe(1);

    const slept: number[] = [];
    calls = 0;
    await expect(retryWithBackoff('op', seams([], slept), async () => {
      calls++;
      throw retriable(`DYNAMO_THROTTLED`);
    })).rejects.toThrow('DYNAMO_THROTTLED');
    expect(calls).toBe(3);
    expect(slept).toHaveLength(2);
  });

  it('repeats partial progress (unprocessed work) and answers exhausted() when no attempt is left', async () => {
    const events: RetryEvent[] = [];
    let left = 10;
    const result = await retryWithBackoff<string>('BatchGetItem', seams(events, []), async () => {
      left -= 2;
      return { again: { reason: 'unprocessed', items: left }, exhausted: () => `${left} left` };
    });
    expect(result).toBe('4 left');
    expect(events.map((event) => [event.reason, event.items])).toEqual([
      ['unprocessed', 8],
      ['unprocessed', 6],
    ]);
  });

  it('does not let an observer that throws abandon the work', async () => {
    let calls = 0;
    const result = await retryWithBackoff('op', { retry, onRetry: () => { throw new Error('observer bug'); }, sleep: async () => undefined }, async () => {
      calls++;
      if (calls === 1) throw retriable('DYNAMO_THROTTLED');
      return { done: calls };
    });
    expect(result).toBe(2);
  });
});
