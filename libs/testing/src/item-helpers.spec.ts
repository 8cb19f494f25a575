import { byKey, keyOf, withoutVersion } from './item-helpers';

describe('item helpers', () => {
  const version = { S: `${'0'.repeat(31)}a1` };

  it('drops a valid version stamp and sorts string sets', () => {
    expect(withoutVersion({ PK: { S: 'A' }, _ver: version, tags: { SS: ['b', 'a'] } })).toEqual({ PK: { S: 'A' }, tags: { SS: ['a', 'b'] } });
    expect(withoutVersion(undefined)).toBeUndefined();
  });

  it('refuses an item without a valid stamp, naming its key', () => {
    expect(() => withoutVersion({ PK: { S: 'A' }, SK: { S: 'B' } })).toThrow('item {"PK":{"S":"A"},"SK":{"S":"B"}} has no valid _ver stamp: undefined');
    expect(() => withoutVersion({ PK: { S: 'A' }, _ver: { S: '12' } })).toThrow('has no valid _ver stamp: {"S":"12"}');
  });

  it('orders by PK then SK', () => {
    const items = [{ PK: { S: 'B' }, SK: { S: '1' } }, { PK: { S: 'A' }, SK: { S: '2' } }, { PK: { S: 'A' }, SK: { S: '1' } }];
    expect([...items].sort(byKey).map(keyOf)).toEqual([
      { PK: { S: 'A' }, SK: { S: '1' } },
      { PK: { S: 'A' }, SK: { S: '2' } },
      { PK: { S: 'B' }, SK: { S: '1' } },
    ]);
  });
});
