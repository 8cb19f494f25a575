import { partialReads } from './partial-reads';

describe('partialReads', () => {
  it('returns what each read gave, the fallback for one that failed, and names the failure', async () => {
    const reads = partialReads();
    const ok = await reads.guard('rows', async () => 42, -1);
    const failed = await reads.guard('items', async () => {
      throw new Error('DynamoDB unreachable');
    }, -1);
    expect([ok, failed]).toEqual([42, -1]);
    expect(reads.errors).toEqual(['items: DynamoDB unreachable']);
  });
});
