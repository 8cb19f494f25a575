import { deleteCommand, version } from './command.fixture';
import { buildGuardedDelete } from './guarded-delete';

describe('buildGuardedDelete', () => {
  it('deletes by key under the version guard', () => {
    expect(buildGuardedDelete(deleteCommand('users', 'USER#1', 3))).toEqual({
      TableName: 'users',
      Key: { pk: { S: 'USER#1' } },
      ConditionExpression: 'attribute_not_exists(#ver) OR #ver < :ver',
      ExpressionAttributeNames: { '#ver': '_ver' },
      ExpressionAttributeValues: { ':ver': { S: version(3) } },
    });
  });
});
