import type { WriteCommand } from '@pg2ddb/contracts';
import { coalesceCommands } from './coalesce-commands';

const source = {
  topic: 't', partition: 0, offset: '0', schema: 's', table: 't', lsn: null, txId: null, snapshot: false, committedAtMs: 0,
};
const key = (pk: string) => ({ PK: { S: pk }, SK: { S: 'A' } });
const put = (pk: string, version: string): WriteCommand => ({
  v: 1, op: 'put', table: 'T', key: key(pk), entity: 'E', version, source, item: { ...key(pk), x: { S: version } },
});
const del = (pk: string, version: string): WriteCommand => ({ v: 1, op: 'delete', table: 'T', key: key(pk), entity: 'E', version, source });
const upd = (pk: string, version: string): WriteCommand => ({
  v: 1, op: 'update', table: 'T', key: key(pk), entity: 'E', version, source, set: { x: { S: version } }, remove: [],
});

describe('coalesceCommands', () => {
  it('keeps only the last whole-item command per item', () => {
    const out = coalesceCommands([put('a', '1'), put('b', '1'), upd('a', '2'), del('a', '3'), put('b', '2')]);
    expect(out.map((c) => `${c.op}:${(c.key.PK as { S: string }).S}:${c.version}`)).toEqual(['delete:a:3', 'put:b:2']);
  });

  it('keeps updates that come after the last put', () => {
    const out = coalesceCommands([put('a', '1'), upd('a', '2')]);
    expect(out.map((c) => c.version)).toEqual(['1', '2']);
  });

  it('never drops a newer command because an older replay follows it', () => {
    const out = coalesceCommands([put('a', '5'), put('a', '3')]);
    expect(out.map((c) => c.version)).toEqual(['5', '3']);
  });

  it('returns an empty batch unchanged', () => {
    expect(coalesceCommands([])).toEqual([]);
  });
});
