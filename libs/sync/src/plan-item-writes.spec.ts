import { writeCommandKey, type WriteCommand } from '@pg2ddb/contracts';
import { del, key, put, upd } from './command.fixture';
import { planItemWrites, type StoredVersions } from './plan-item-writes';

function plan(commands: WriteCommand[], stored: Record<string, StoredVersions> = {}) {
  const keys = commands.map(writeCommandKey);
  const storedByKey = new Map(Object.entries(stored).map(([pk, versions]) => [writeCommandKey({ table: 'T', key: key(pk) }), versions]));
  const result = planItemWrites(commands, keys, storedByKey);
  const writes = result.writes.map((write) =>
    write.kind === 'conditional'
      ? `conditional:${write.commands.map((c) => `${c.op}@${c.version}`).join(',')}`
      : `${write.kind}:${(write.command.key.PK as { S: string }).S}@${write.command.version}${write.kind === 'delete' ? (write.itemExists ? '+item' : '-item') : ''}`,
  );
  return { writes, fates: result.fates, sources: result.sources };
}

describe('planItemWrites', () => {
  it('writes each new item once, with its newest whole-item command', () => {
    expect(plan([put('a', '01'), put('b', '01'), put('a', '02'), del('b', '03')])).toEqual({
      writes: ['put:a@02', 'delete:b@03-item'],
      fates: ['superseded', 'superseded', 'planned', 'planned'],
      sources: [[2], [3]],
    });
  });

  it('lets the highest version win whatever the order inside the batch (older after newer)', () => {
    expect(plan([put('a', '05'), put('a', '03')]).writes).toEqual(['put:a@05']);
    expect(plan([del('a', '05'), put('a', '03')]).writes).toEqual(['delete:a@05-item']);
    expect(plan([put('a', '03'), del('a', '02')]).writes).toEqual(['put:a@03']);
  });

  it('refuses commands no newer than the stored item: replays and older commands are stale', () => {
    const result = plan([put('a', '04'), put('a', '05'), del('a', '03')], { a: { item: '05' } });
    expect(result.writes).toEqual([]);
    expect(result.fates).toEqual(['stale', 'stale', 'stale']);
  });

  it('never resurrects a deleted item: a put older than the tombstone is stale', () => {
    const result = plan([put('a', '04')], { a: { tombstone: '06' } });
    expect(result).toEqual({ writes: [], fates: ['stale'], sources: [] });
  });

  it('writes a put newer than the tombstone (the row was inserted again)', () => {
    expect(plan([put('a', '07')], { a: { tombstone: '06' } }).writes).toEqual(['put:a@07']);
  });

  it('re-plans a delete equal to its tombstone, so a half-applied delete finishes on replay', () => {
    expect(plan([del('a', '06')], { a: { item: '05', tombstone: '06' } }).writes).toEqual(['delete:a@06+item']);
  });

  it('treats a replayed delete whose tombstone is written and item gone as stale', () => {
    expect(plan([del('a', '06')], { a: { tombstone: '06' } })).toEqual({ writes: [], fates: ['stale'], sources: [] });
  });

  it('records a tombstone even when there is no item to delete', () => {
    expect(plan([del('a', '06')]).writes).toEqual(['delete:a@06-item']);
  });

  it('sends every fresh command of an item with a partial update down the conditional path, in order', () => {
    const result = plan([put('a', '02'), upd('a', '03'), put('b', '02'), upd('a', '01')], { a: { item: '01' } });
    expect(result.writes).toEqual(['conditional:put@02,update@03', 'put:b@02']);
    expect(result.fates).toEqual(['planned', 'planned', 'planned', 'stale']);
    expect(result.sources).toEqual([[0, 1], [2]]);
  });

  it('drops conditional commands older than the tombstone before they reach the store', () => {
    expect(plan([upd('a', '03'), upd('a', '08')], { a: { tombstone: '05' } }).writes).toEqual(['conditional:update@08']);
  });

  it('deletes a stored item that has no _ver (loaded by another tool, a parent stub), not only its tombstone', () => {
    expect(plan([del('a', '06')], { a: { exists: true } }).writes).toEqual(['delete:a@06+item']);
    // Its half-applied delete (tombstone written, item still there) finishes on replay too.
    expect(plan([del('a', '06')], { a: { exists: true, tombstone: '06' } }).writes).toEqual(['delete:a@06+item']);
  });

  it('never judges an embedded child by its parent item\'s _ver (the child entry guards itself)', () => {
    const child = (version: string): WriteCommand => ({ ...(upd('a', version) as WriteCommand & { op: 'update' }), set: { 'lines.1': { M: {} } }, guard: 'lines.1' });
    // The snapshot gives parent and child one version; an older child change may follow a newer parent change.
    expect(plan([child('05'), child('03')], { a: { item: '05' } }).writes).toEqual(['conditional:update@05,update@03']);
    // The parent's tombstone still refuses an older child: it cannot outlive the parent's delete.
    expect(plan([child('03')], { a: { tombstone: '05' } }).fates).toEqual(['stale']);
  });

  it('returns an empty plan for an empty batch', () => {
    expect(plan([])).toEqual({ writes: [], fates: [], sources: [] });
  });
});
