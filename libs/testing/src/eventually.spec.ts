import { eventually } from './eventually';
import { randomId } from './random-names';

describe('eventually', () => {
  it('returns once the assertion passes', async () => {
    let calls = 0;
    const value = await eventually(() => {
      calls++;
      if (calls < 3) throw new Error('not yet');
      return 'done';
    }, { intervalMs: 1 });
    expect(value).toBe('done');
    expect(calls).toBe(3);
  });

  it("throws the assertion's last error when time is up", async () => {
    await expect(eventually(() => { throw new Error('item missing'); }, { timeoutMs: 20, intervalMs: 5 })).rejects.toThrow(
      'still failing after 20 ms: item missing',
    );
  });
});

describe('randomId', () => {
  it('is unique and valid as schema, topic prefix and table name part', () => {
    const ids = new Set(Array.from({ length: 100 }, () => randomId('e2e')));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^e2e[a-z0-9]+$/);
  });
});
