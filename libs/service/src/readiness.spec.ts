import { cachedProbe, Readiness } from './readiness';

describe('Readiness', () => {
  it('is ready only when every check passes; a throwing check is not ready', async () => {
    const readiness = new Readiness();
    readiness.add({ name: 'kafka', check: () => true });
    expect(await readiness.evaluate()).toEqual({ ready: true, checks: { kafka: true } });
    readiness.add({ name: 'dynamo', check: async () => { throw new Error('down'); } });
    expect(await readiness.evaluate()).toEqual({ ready: false, checks: { kafka: true, dynamo: false } });
  });
});

describe('cachedProbe', () => {
  it('reports the probe result and calls it at most once per interval', async () => {
    let calls = 0;
    let fail = false;
    const probe = cachedProbe(async () => {
      calls++;
      if (fail) throw new Error('down');
    }, 60000);
    expect(await probe()).toBe(true);
    fail = true;
    expect(await probe()).toBe(true);
    expect(calls).toBe(1);
    const failing = cachedProbe(async () => Promise.reject(new Error('down')), 0);
    expect(await failing()).toBe(false);
  });
});
