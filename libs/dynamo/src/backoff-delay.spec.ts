import { backoffDelay } from './backoff-delay';

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
