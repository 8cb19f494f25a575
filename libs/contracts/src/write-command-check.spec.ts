import { checkWriteCommand } from './write-command-check';

const good = {
  v: 1, op: 'put', table: 'Payments', key: { PK: { S: 'a' } }, entity: 'Payment', version: `${'0'.repeat(31)}a1`, source: {}, item: { PK: { S: 'a' } },
};

describe('checkWriteCommand', () => {
  it('accepts a well-formed command', () => {
    expect(checkWriteCommand(good)).toBeUndefined();
    expect(checkWriteCommand({ ...good, op: 'delete', item: undefined })).toBeUndefined();
    expect(checkWriteCommand({ ...good, op: 'update', set: {}, remove: ['x'] })).toBeUndefined();
  });

  it.each([
    [[], 'write command must be a JSON object'],
    [{ ...good, v: 2 }, 'unsupported write command version 2 (expected 1)'],
    [{ ...good, op: 'upsert' }, 'unknown op "upsert"'],
    [{ ...good, table: 'x' }, 'table must be a DynamoDB table name'],
    [{ ...good, key: {} }, 'key must be a non-empty attribute map'],
    [{ ...good, version: '12' }, 'version "12" is not a source version'],
    [{ ...good, entity: 3 }, 'entity must be a string'],
    [{ ...good, source: null }, 'source coordinates are missing'],
    [{ ...good, item: null }, 'put needs an item'],
    [{ ...good, op: 'update' }, 'update needs set (object) and remove (array)'],
  ])('names what is wrong with %j', (value, message) => {
    expect(checkWriteCommand(value)).toBe(message);
  });
});
