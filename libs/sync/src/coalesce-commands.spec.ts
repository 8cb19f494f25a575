import { del, put, upd } from './command.fixture';
import { coalesceCommands } from './coalesce-commands';

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
