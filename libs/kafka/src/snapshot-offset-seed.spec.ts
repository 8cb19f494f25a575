import { hasOffsetFor, initialSnapshotSeed } from './snapshot-offset-seed';

describe('initialSnapshotSeed', () => {
  it('gives a connector that takes an initial snapshot the "snapshot in progress" offset of its partition', () => {
    expect(initialSnapshotSeed({ 'topic.prefix': 'shop', 'snapshot.mode': 'initial' })).toEqual({
      partition: { server: 'shop' },
      offset: { snapshot: 'INITIAL', snapshot_completed: false, last_snapshot_record: false, ts_usec: 0 },
    });
    // Debezium's default mode is initial.
    expect(initialSnapshotSeed({ 'topic.prefix': 'shop' })?.partition).toEqual({ server: 'shop' });
    expect(initialSnapshotSeed({ 'topic.prefix': 'shop', 'snapshot.mode': 'INITIAL_ONLY' })?.offset).toMatchObject({ snapshot: 'INITIAL' });
  });

  it('gives none when the mode takes no initial snapshot (the offset would force one) or the prefix is missing', () => {
    expect(initialSnapshotSeed({ 'topic.prefix': 'shop', 'snapshot.mode': 'no_data' })).toBeUndefined();
    expect(initialSnapshotSeed({ 'topic.prefix': 'shop', 'snapshot.mode': 'never' })).toBeUndefined();
    expect(initialSnapshotSeed({ 'snapshot.mode': 'initial' })).toBeUndefined();
  });
});

describe('hasOffsetFor', () => {
  it('is true only for a committed offset of the same partition', () => {
    const partition = { server: 'shop' };
    expect(hasOffsetFor([], partition)).toBe(false);
    expect(hasOffsetFor([{ partition, offset: null }], partition)).toBe(false);
    expect(hasOffsetFor([{ partition: { server: 'other' }, offset: { lsn: 1 } }], partition)).toBe(false);
    expect(hasOffsetFor([{ partition: { server: 'shop' }, offset: { lsn: 1 } }], partition)).toBe(true);
  });
});
