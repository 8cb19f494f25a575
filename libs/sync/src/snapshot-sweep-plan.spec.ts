import type { DebeziumSource, SourceCoordinates } from '@pg2ddb/contracts';
import { completedSnapshotSweep, sweepDeletes } from './snapshot-sweep-plan';
import { formatVersion, sourceVersion } from './source-version';

const target = { table: 'T', entity: 'Account', entityType: { attribute: '_type', value: 'Account' }, keyAttributes: ['PK', 'SK'] };
const coordinates: SourceCoordinates = { topic: 'p.s.accounts', partition: 0, offset: '41', schema: 's', table: 'accounts', lsn: '4096', txId: null, snapshot: true, committedAtMs: 1 };
const read = (snapshot: string | boolean): DebeziumSource => ({ ts_ms: 1, db: 'app', schema: 's', table: 'accounts', lsn: 4096, snapshot });

describe('completedSnapshotSweep', () => {
  it.each(['last_in_data_collection', 'last'])('asks for a sweep at the snapshot position with the delete rank on "%s"', (marker) => {
    const version = sourceVersion(read(marker), 'r', 3);
    const sweep = completedSnapshotSweep(read(marker), version, target, coordinates);
    expect(sweep).toEqual({ v: 1, op: 'sweep', ...target, version: formatVersion({ commitLsn: 4096n, changeLsn: 0n, rank: 0, epoch: 3 }), source: coordinates });
    // Below the snapshot's own puts (so they survive it), above everything an earlier snapshot wrote.
    expect(sweep!.version < version).toBe(true);
    expect(sourceVersion({ ...read('true'), lsn: 4095 }, 'r', 3) < sweep!.version).toBe(true);
  });

  it.each(['true', 'first', 'first_in_data_collection', 'incremental', 'false', true])('asks for none on "%s"', (marker) => {
    const source = marker === 'incremental' ? { ...read(marker), lsn: null, sequence: '[null,"4096"]' } : read(marker);
    expect(completedSnapshotSweep(source, sourceVersion(source, 'r'), target, coordinates)).toBeUndefined();
  });
});

describe('sweepDeletes', () => {
  it('makes one delete per found item, at the sweep version, keyed by the table key only', () => {
    const sweep = completedSnapshotSweep(read('last'), sourceVersion(read('last'), 'r'), target, coordinates)!;
    const deletes = sweepDeletes(sweep, [{ PK: { S: 'A' }, SK: { S: '1' }, _type: { S: 'Account' }, name: { S: 'x' } }]);
    expect(deletes).toEqual([{ v: 1, op: 'delete', table: 'T', key: { PK: { S: 'A' }, SK: { S: '1' } }, entity: 'Account', version: sweep.version, source: coordinates }]);
  });

  it('refuses an item without a key attribute', () => {
    const sweep = completedSnapshotSweep(read('last'), sourceVersion(read('last'), 'r'), target, coordinates)!;
    expect(() => sweepDeletes(sweep, [{ PK: { S: 'A' } }])).toThrow('item of entity Account has no key attribute SK');
  });
});
