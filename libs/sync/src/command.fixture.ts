import type { WriteCommand } from '@pg2ddb/contracts';

// Write commands for the specs of this lib: table T, key {PK, SK: 'A'}, versions as given.
const source = {
  topic: 't', partition: 0, offset: '0', schema: 's', table: 't', lsn: null, txId: null, snapshot: false, committedAtMs: 0,
};

/** The key of item `pk`. */
export const key = (pk: string) => ({ PK: { S: pk }, SK: { S: 'A' } });

/** A put of item `pk` at `version`, its attribute `x` holding the version. */
export const put = (pk: string, version: string): WriteCommand => ({
  v: 1, op: 'put', table: 'T', key: key(pk), entity: 'E', version, source, item: { ...key(pk), x: { S: version } },
});

/** A delete of item `pk` at `version`. */
export const del = (pk: string, version: string): WriteCommand => ({ v: 1, op: 'delete', table: 'T', key: key(pk), entity: 'E', version, source });

/** An update of item `pk` setting `x` to the version. */
export const upd = (pk: string, version: string): WriteCommand => ({
  v: 1, op: 'update', table: 'T', key: key(pk), entity: 'E', version, source, set: { x: { S: version } }, remove: [],
});
