import { PartitionVersionCaches } from './partition-version-caches';

const p0 = { topic: 't.writes', partition: 0 };
const p1 = { topic: 't.writes', partition: 1 };

describe('PartitionVersionCaches', () => {
  it('keeps what a partition learnt across batches of one ownership term', () => {
    const caches = new PartitionVersionCaches(100);
    caches.forBatch({ ...p0, ownership: 3 }).set('item-a', { item: '0a', exists: true });
    expect(caches.forBatch({ ...p0, ownership: 3 }).get('item-a')).toEqual({ item: '0a', exists: true });
    expect(caches.forBatch({ ...p1, ownership: 3 }).size).toBe(0);
    expect(caches.size()).toBe(1);
  });

  it('starts empty after the partition was revoked (a new ownership term), even when it comes back', () => {
    const caches = new PartitionVersionCaches(100);
    caches.forBatch({ ...p0, ownership: 1 }).set('item-a', { item: '01', exists: true });
    // Revoked, another member wrote item-a, then the partition came back in term 2.
    const after = caches.forBatch({ ...p0, ownership: 2 });
    expect(after.has('item-a')).toBe(false);
    expect(after.size).toBe(0);
    // A late batch of the old term does not bring the old versions back either.
    expect(caches.forBatch({ ...p0, ownership: 1 }).size).toBe(0);
  });

  it('forgets a partition on drop (a failed batch, a refused or stale write)', () => {
    const caches = new PartitionVersionCaches(100);
    caches.forBatch({ ...p0, ownership: 1 }).set('item-a', { tombstone: '05' });
    caches.forBatch({ ...p1, ownership: 1 }).set('item-b', { item: '02', exists: true });
    caches.drop(p0);
    expect(caches.forBatch({ ...p0, ownership: 1 }).size).toBe(0);
    expect(caches.forBatch({ ...p1, ownership: 1 }).get('item-b')).toEqual({ item: '02', exists: true });
  });

  it('forgets the versions known longest beyond its bound', () => {
    const caches = new PartitionVersionCaches(2);
    const versions = caches.forBatch({ ...p0, ownership: 1 });
    for (const id of ['a', 'b', 'c', 'd']) versions.set(id, { item: '01', exists: true });
    expect([...caches.forBatch({ ...p0, ownership: 1 }).keys()]).toEqual(['c', 'd']);
  });
});
