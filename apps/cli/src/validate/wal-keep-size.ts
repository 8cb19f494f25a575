import type { ReplicationReadiness } from '@pg2ddb/postgres';

import type { ChecklistEntry, ValidationFinding } from './validation-finding';

const GIB = 1024 ** 3;

function size(bytes: number): string {
  return bytes >= GIB ? `${(bytes / GIB).toFixed(1)} GiB` : `${Math.round(bytes / 1024 ** 2)} MiB`;
}

/**
 * What `max_slot_wal_keep_size` means for the connector's slot, for `validate` and `cutover-check`:
 * unlimited (the default) is a warning, since a stopped connector then keeps WAL until the
 * source's disk is full; a limit is fine, but a slot past it (`unreserved`) is a warning and an
 * invalidated one (`lost`) an error: the connector cannot resume and the tables need a re-sync.
 * A slot retaining over 80% of the limit is a warning too.
 */
export function walKeepSizeAdvice(state: Pick<ReplicationReadiness, 'maxSlotWalKeepSizeBytes' | 'slot'>, slot: string): { findings: ValidationFinding[]; checklist: ChecklistEntry } {
  const findings: ValidationFinding[] = [];
  const limit = state.maxSlotWalKeepSizeBytes;
  const retained = state.slot?.retainedWalBytes ?? null;
  if (limit === null) {
    findings.push({
      check: 'wal-keep-size',
      severity: 'warning',
      message:
        'max_slot_wal_keep_size is unlimited (-1): a stopped or failed connector makes PostgreSQL keep WAL until its disk is full. ' +
        'Set a limit the disk can hold (a slot past it is invalidated and needs a re-sync) and alert on pg2ddb_replication_slot_retained_wal_bytes (infra/alerts)',
    });
  } else if (state.slot?.walStatus === 'lost') {
    findings.push({ check: 'wal-keep-size', severity: 'error', message: `slot ${slot} was invalidated (wal_status=lost, past max_slot_wal_keep_size=${size(limit)}): the connector cannot resume; re-create it and re-sync` });
  } else if (state.slot?.walStatus === 'unreserved') {
    findings.push({ check: 'wal-keep-size', severity: 'warning', message: `slot ${slot} retains more WAL than max_slot_wal_keep_size=${size(limit)} (wal_status=unreserved): it will be invalidated at the next checkpoint unless the connector catches up` });
  } else if (retained !== null && retained > 0.8 * limit) {
    findings.push({ check: 'wal-keep-size', severity: 'warning', message: `slot ${slot} retains ${size(retained)} of WAL, over 80% of max_slot_wal_keep_size=${size(limit)}` });
  }
  const status = findings.some((f) => f.severity === 'error') ? 'fail' : findings.length > 0 ? 'warn' : 'ok';
  const detail =
    limit === null
      ? `unlimited${retained !== null ? `; ${slot} retains ${size(retained)}` : ''}`
      : `${size(limit)}${retained !== null ? `; ${slot} retains ${size(retained)}${state.slot?.walStatus ? ` (${state.slot.walStatus})` : ''}` : ''}`;
  return { findings, checklist: { area: 'replication', check: 'wal-keep-size', title: 'max_slot_wal_keep_size', status, detail } };
}
