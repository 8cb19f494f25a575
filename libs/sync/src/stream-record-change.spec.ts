import { scannedItemToChange, streamRecordToChange } from './stream-record-change';

const keys = { PK: { S: 'A' }, SK: { S: 'B' } };
const item = { ...keys, n: { N: '1' } };

describe('streamRecordToChange', () => {
  it('turns INSERT/MODIFY into a put of the new image, versioned by the sequence number', () => {
    expect(streamRecordToChange('T', 'shard-1', { eventName: 'MODIFY', keys, newImage: item, oldImage: keys, sequenceNumber: '1100000000017454423010', createdAtMs: 5 })).toEqual({
      v: 1,
      table: 'T',
      op: 'put',
      key: keys,
      item,
      oldItem: keys,
      version: '1100000000017454423010',
      changedAtMs: 5,
      origin: { kind: 'stream', shardId: 'shard-1', sequenceNumber: '1100000000017454423010', eventName: 'MODIFY' },
    });
  });

  it('turns REMOVE into a delete carrying the old image', () => {
    const change = streamRecordToChange('T', 's', { eventName: 'REMOVE', keys, oldImage: item, sequenceNumber: '9', createdAtMs: 1 });
    expect(change.op).toBe('delete');
    expect(change.oldItem).toEqual(item);
  });

  it('refuses records without the images the way back needs', () => {
    expect(() => streamRecordToChange('T', 's', { eventName: 'REMOVE', keys, sequenceNumber: '9', createdAtMs: 1 })).toThrow(
      'stream record 9 of T is a REMOVE without OldImage; the stream must use NEW_AND_OLD_IMAGES',
    );
  });
});

describe('scannedItemToChange', () => {
  it('gives a scanned item the lowest version and its key', () => {
    const change = scannedItemToChange('T', ['PK', 'SK'], item, 2, 4, 10);
    expect(change).toMatchObject({ op: 'put', key: keys, item, version: '0', origin: { kind: 'scan', segment: 2, totalSegments: 4 } });
  });
});
