import type { DebeziumSource } from '@pg2ddb/contracts';
import { formatLsn, formatVersion, isSnapshot, parseVersion, sourceVersion, versionBeyondSource } from './source-version';

const base: DebeziumSource = { ts_ms: 0, db: 'pg2ddb', schema: 'public', table: 't' };

describe('sourceVersion', () => {
  it('puts every change of a later source epoch above every change of an earlier one, whatever the LSNs', () => {
    // The old cluster was far ahead (LSN 0xFFFF/0, just under 2^48); the new one restarts low.
    const old = sourceVersion({ ...base, lsn: 0xffff00000000, sequence: '["281470681743360","281470681743360"]' }, 'u');
    const moved = sourceVersion({ ...base, lsn: 100, sequence: '["50","100"]' }, 'u', 1);
    const movedAgain = sourceVersion({ ...base, lsn: 10, sequence: '["5","10"]' }, 'd', 2);
    expect(old).toHaveLength(33); // epoch 0 keeps the original format: stored items stay comparable
    expect(moved).toBe(`0001${'0'.repeat(14)}32${'0'.repeat(14)}641`);
    expect(old < moved && moved < movedAgain).toBe(true);
    expect(parseVersion(moved)).toEqual({ commitLsn: 50n, changeLsn: 100n, rank: 1, epoch: 1 });
    expect(parseVersion(old).epoch).toBeUndefined();
    expect(() => formatVersion({ commitLsn: 1n, changeLsn: 1n, rank: 1, epoch: 0x10000 })).toThrow('source epoch 65536 is not an integer from 0 to 65535');
  });

  it('orders by commit position before the change LSN (interleaved transactions)', () => {
    // Transaction A commits first but its change has the higher LSN; B's change is older in the WAL
    // but B committed later, so B must win.
    const a = sourceVersion({ ...base, lsn: 500, sequence: '["100","500"]' }, 'u');
    const b = sourceVersion({ ...base, lsn: 300, sequence: '["600","300"]' }, 'u');
    expect(a < b).toBe(true);
  });

  it('orders changes of one transaction by their LSN', () => {
    const first = sourceVersion({ ...base, lsn: 10, sequence: '["5","10"]' }, 'c');
    const second = sourceVersion({ ...base, lsn: 11, sequence: '["5","11"]' }, 'u');
    expect(first < second).toBe(true);
  });

  it('sorts a delete before a create at the same position', () => {
    const del = sourceVersion({ ...base, lsn: 10, sequence: '["5","10"]' }, 'd');
    const create = sourceVersion({ ...base, lsn: 10, sequence: '["5","10"]' }, 'c');
    expect(del < create).toBe(true);
    expect(del.endsWith('0')).toBe(true);
  });

  it('puts snapshot reads below every change streamed after the snapshot point', () => {
    const snapshot = sourceVersion({ ...base, lsn: 1000, snapshot: 'true' }, 'r');
    // A transaction that began before the snapshot (its change LSN is older) and committed after it.
    const streamed = sourceVersion({ ...base, lsn: 900, sequence: '["1000","900"]' }, 'u');
    expect(snapshot < streamed).toBe(true);
    expect(parseVersion(snapshot)).toEqual({ commitLsn: 1000n, changeLsn: 0n, rank: 1 });
  });

  it('ranks the first transaction after the snapshot (no lastCommitLsn) above the snapshot rows', () => {
    // Real Debezium 3.2 events: snapshot rows at the slot's consistent point, then the first streamed
    // transaction with sequence [null, lsn], then the next one with the previous commit's end.
    const snapshot = sourceVersion({ ...base, lsn: 181805832, sequence: '[null,"181805832"]', snapshot: 'last' }, 'r');
    const first = sourceVersion({ ...base, lsn: 181989552, sequence: '[null,"181989552"]', snapshot: 'false' }, 'u');
    const second = sourceVersion({ ...base, lsn: 181989680, sequence: '["181989680","181989680"]', snapshot: 'false' }, 'u');
    expect(snapshot < first).toBe(true);
    expect(first < second).toBe(true);
  });

  it('is fixed width and round-trips through parseVersion, up to the largest LSN', () => {
    const max = (1n << 64n) - 1n;
    const version = sourceVersion({ ...base, lsn: null, sequence: `["${max}","${max}"]` }, 'u');
    expect(version).toBe(`${'f'.repeat(32)}1`);
    expect(parseVersion(version)).toEqual({ commitLsn: max, changeLsn: max, rank: 1 });
  });

  it('names what is wrong with a bad position', () => {
    expect(() => sourceVersion({ ...base, sequence: 'nope' }, 'u')).toThrow('source.sequence is not JSON: "nope"');
    expect(() => sourceVersion({ ...base, sequence: '["1"]' }, 'u')).toThrow(
      'source.sequence is not a [lastCommitLsn, lsn] pair: "[\\"1\\"]"',
    );
    expect(() => sourceVersion({ ...base, sequence: '["x","1"]' }, 'u')).toThrow('source.sequence[0] is not an LSN: "x"');
    expect(() => sourceVersion({ ...base, lsn: null, sequence: null }, 'u')).toThrow(
      'change event has neither source.lsn nor source.sequence',
    );
    expect(() => sourceVersion({ ...base, snapshot: 'true' }, 'r')).toThrow('snapshot event has no source.lsn');
    expect(() => parseVersion('abc')).toThrow('not a source version: "abc"');
  });
});

describe('helpers', () => {
  it('versions incremental snapshot reads (no lsn) by their watermark position, below later changes', () => {
    // A real Debezium 3.2.7 incremental snapshot read and the next streamed change.
    const read = sourceVersion({ ...base, lsn: null, sequence: '["470415760","470415760"]', snapshot: 'incremental' }, 'r');
    const later = sourceVersion({ ...base, lsn: 470416000, sequence: '["470415900","470416000"]', snapshot: 'false' }, 'u');
    const earlier = sourceVersion({ ...base, lsn: 470415000, sequence: '["470414000","470415000"]', snapshot: 'false' }, 'u');
    expect(parseVersion(read)).toEqual({ commitLsn: 470415760n, changeLsn: 0n, rank: 1 });
    expect(earlier < read && read < later).toBe(true);
  });

  it('recognises every snapshot marker Debezium uses', () => {
    for (const flag of ['true', 'first', 'last', 'incremental', true]) expect(isSnapshot({ ...base, snapshot: flag })).toBe(true);
    for (const flag of ['false', false, undefined]) expect(isSnapshot({ ...base, snapshot: flag })).toBe(false);
  });

  it('formats LSNs the way Postgres prints them', () => {
    expect(formatLsn(0x16b374d848n)).toBe('16/B374D848');
  });
});

describe('versionBeyondSource', () => {
  const v = (commitLsn: bigint, epoch = 0) => formatVersion({ commitLsn, changeLsn: commitLsn, rank: 1, epoch });

  it('accepts what a source can produce: any LSN below 2^48, epochs up to the configured one', () => {
    expect(versionBeyondSource(v(0x16b374d848n), 0)).toBeUndefined();
    expect(versionBeyondSource(v((1n << 48n) - 1n), 0)).toBeUndefined();
    expect(versionBeyondSource(v(5n, 1), 2)).toBeUndefined();
    expect(versionBeyondSource(v(5n, 0), 2)).toBeUndefined();
  });

  it('refuses a later epoch than the deployment has and an LSN no WAL reaches', () => {
    expect(versionBeyondSource(v(5n, 3), 2)).toBe(`version ${v(5n, 3)} has source epoch 3, above this deployment's PG2DDB_SOURCE_EPOCH=2`);
    expect(versionBeyondSource('f'.repeat(32) + '1', 0)).toBe(`version ${'f'.repeat(32)}1 carries LSN FFFFFFFF/FFFFFFFF, beyond 10000/0 (256 TiB of WAL), which no source produces`);
    expect(versionBeyondSource(v(1n << 48n), 0)).toMatch(/carries LSN 10000\/0, beyond 10000\/0/);
  });
});
