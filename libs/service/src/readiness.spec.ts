import { Readiness } from './readiness';

describe('Readiness', () => {
  it('is ready only when every check passes; a throwing check is not ready', async () => {
    const readiness = new Readiness();
    readiness.add({ name: 'kafka', check: () => true });
    expect(await readiness.evaluate()).toEqual({ ready: true, checks: { kafka: true } });
    readiness.add({ name: 'dynamo', check: async () => { throw new Error('down'); } });
    expect(await readiness.evaluate()).toEqual({ ready: false, checks: { kafka: true, dynamo: false } });
  });
});
