import { putCommand, version } from './command.fixture';
import { DynamoErrorCode } from '../sdk/dynamo-error';
import { buildGuardedPut } from './guarded-put';

describe('buildGuardedPut', () => {
  it('writes the item with _ver under the version guard, names only through placeholders', () => {
    const input = buildGuardedPut(putCommand('users', 'USER#1', 7, { status: { S: 'active' } }));
    expect(input).toEqual({
      TableName: 'users',
      Item: { pk: { S: 'USER#1' }, status: { S: 'active' }, _ver: { S: version(7) } },
      ConditionExpression: 'attribute_not_exists(#ver) OR #ver < :ver',
      ExpressionAttributeNames: { '#ver': '_ver' },
      ExpressionAttributeValues: { ':ver': { S: version(7) } },
    });
  });

  it('adds key attributes the item omits', () => {
    const command = putCommand('users', 'USER#1', 1);
    command.item = { name: { S: 'a' } };
    expect(buildGuardedPut(command).Item).toEqual({ name: { S: 'a' }, pk: { S: 'USER#1' }, _ver: { S: version(1) } });
  });

  it('refuses an item whose key differs from the command key (it would escape per-key ordering)', () => {
    const command = putCommand('users', 'USER#1', 1, { pk: { S: 'USER#2' } });
    expect(() => buildGuardedPut(command)).toThrow(expect.objectContaining({ code: DynamoErrorCode.INVALID_KEY, retriable: false }));
  });

  it('refuses an item whose own _ver differs from the command version', () => {
    const command = putCommand('users', 'USER#1', 1, { _ver: { S: 'ffff' } });
    expect(() => buildGuardedPut(command)).toThrow(
      expect.objectContaining({ code: DynamoErrorCode.INVALID_COMMAND, message: "Invalid put command: the item's _ver differs from the command version" }),
    );
  });

  it("accepts an item stamped with the command's own version (the mapping stamps items)", () => {
    const command = putCommand('users', 'USER#1', 1, { _ver: { S: version(1) } });
    expect(buildGuardedPut(command).Item?._ver).toEqual({ S: version(1) });
  });

  it.each(['', 'ABC', '12 3', 12])('refuses version %j (the guard compares strings)', (badVersion) => {
    const command = { ...putCommand('users', 'USER#1', 1), version: badVersion as string };
    expect(() => buildGuardedPut(command)).toThrow(expect.objectContaining({ code: DynamoErrorCode.INVALID_COMMAND, retriable: false }));
  });

  it('refuses an empty key', () => {
    const command = { ...putCommand('users', 'USER#1', 1), key: {} };
    expect(() => buildGuardedPut(command)).toThrow(expect.objectContaining({ code: DynamoErrorCode.INVALID_COMMAND }));
  });
});
