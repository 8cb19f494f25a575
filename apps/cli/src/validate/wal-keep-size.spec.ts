import { walKeepSizeAdvice } from './wal-keep-size';

const MIB = 1024 ** 2;
const slot = (retainedWalBytes: number, walStatus: string) => ({ plugin: 'pgoutput', active: false, retainedWalBytes, walStatus });

describe('walKeepSizeAdvice', () => {
  it('warns when the limit is unlimited, whatever the slot', () => {
    const advice = walKeepSizeAdvice({ maxSlotWalKeepSizeBytes: null, slot: slot(3 * MIB, 'reserved') }, 'pg2ddb_demo');
    expect(advice.findings).toEqual([expect.objectContaining({ check: 'wal-keep-size', severity: 'warning' })]);
    expect(advice.findings[0]!.message).toMatch(/^max_slot_wal_keep_size is unlimited \(-1\): a stopped or failed connector makes PostgreSQL keep WAL until its disk is full/);
    expect(advice.checklist).toEqual({ area: 'replication', check: 'wal-keep-size', title: 'max_slot_wal_keep_size', status: 'warn', detail: 'unlimited; pg2ddb_demo retains 3 MiB' });
  });

  it('is content with a limit the slot is far from, and says so before the slot exists', () => {
    expect(walKeepSizeAdvice({ maxSlotWalKeepSizeBytes: 1024 * MIB, slot: slot(10 * MIB, 'reserved') }, 's')).toEqual({
      findings: [],
      checklist: { area: 'replication', check: 'wal-keep-size', title: 'max_slot_wal_keep_size', status: 'ok', detail: '1.0 GiB; s retains 10 MiB (reserved)' },
    });
    expect(walKeepSizeAdvice({ maxSlotWalKeepSizeBytes: 512 * MIB }, 's').checklist.detail).toBe('512 MiB');
  });

  it('warns near and past the limit, and fails on an invalidated slot', () => {
    expect(walKeepSizeAdvice({ maxSlotWalKeepSizeBytes: 100 * MIB, slot: slot(90 * MIB, 'extended') }, 's').findings.map((f) => f.message)).toEqual([
      'slot s retains 90 MiB of WAL, over 80% of max_slot_wal_keep_size=100 MiB',
    ]);
    expect(walKeepSizeAdvice({ maxSlotWalKeepSizeBytes: 100 * MIB, slot: slot(120 * MIB, 'unreserved') }, 's').findings).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringContaining('(wal_status=unreserved)') }),
    ]);
    const lost = walKeepSizeAdvice({ maxSlotWalKeepSizeBytes: 100 * MIB, slot: slot(0, 'lost') }, 's');
    expect(lost.findings).toEqual([
      { check: 'wal-keep-size', severity: 'error', message: 'slot s was invalidated (wal_status=lost, past max_slot_wal_keep_size=100 MiB): the connector cannot resume; re-create it and re-sync' },
    ]);
    expect(lost.checklist.status).toBe('fail');
  });
});
