import { checkDdbChangeEvent, type DdbChangeEvent } from './ddb-change-event';

const put: DdbChangeEvent = {
  v: 1,
  table: 'Payments',
  op: 'put',
  key: { PK: { S: 'A' } },
  item: { PK: { S: 'A' } },
  version: '1100000000017454423009',
  changedAtMs: 1,
  origin: { kind: 'stream', shardId: 's', sequenceNumber: '1100000000017454423009', eventName: 'INSERT' },
};

describe('checkDdbChangeEvent', () => {
  it('accepts a put and a delete with its old image', () => {
    expect(checkDdbChangeEvent(put)).toBeUndefined();
    const { item: _item, ...rest } = put;
    expect(checkDdbChangeEvent({ ...rest, op: 'delete', oldItem: { PK: { S: 'A' } } })).toBeUndefined();
  });

  it.each([
    [null, 'not an object'],
    [{ ...put, v: 2 }, 'unsupported contract version 2'],
    [{ ...put, op: 'update' }, 'op must be put or delete, got "update"'],
    [{ ...put, item: undefined }, 'a put needs item'],
    [{ ...put, op: 'delete' }, 'a delete needs oldItem (stream view NEW_AND_OLD_IMAGES)'],
    [{ ...put, version: '0x1f' }, 'version must be 1-40 decimal digits, got "0x1f"'],
  ])('refuses %j: %s', (value, problem) => {
    expect(checkDdbChangeEvent(value)).toBe(problem);
  });
});
