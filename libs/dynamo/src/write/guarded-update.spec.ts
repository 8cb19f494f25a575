import { updateCommand, version } from './command.fixture';
import { DynamoErrorCode } from '../sdk/dynamo-error';
import { buildEnsureParentMaps } from './ensure-parent-maps';
import { buildGuardedUpdate } from './guarded-update';

describe('buildGuardedUpdate', () => {
  it('sets every path and _ver, removes paths, all through placeholders, under the version guard', () => {
    const input = buildGuardedUpdate(
      updateCommand('users', 'USER#1', 5, { status: { S: 'x' }, 'lines.7': { M: { qty: { N: '2' } } }, 'lines.v1.2': { NULL: true } }, [
        'size',
        'lines.8',
      ]),
    );
    expect(input).toEqual({
      TableName: 'users',
      Key: { pk: { S: 'USER#1' } },
      UpdateExpression: 'SET #n0 = :v0, #n1.#n2 = :v1, #n1.#n3 = :v2, #ver = :ver REMOVE #n4, #n1.#n5',
      // lines.* writes into a map: a non-map `lines` must refuse the write (as DynamoDB does).
      ConditionExpression: '(attribute_not_exists(#ver) OR #ver < :ver) AND (attribute_not_exists(#n1) OR attribute_type(#n1, :pg2ddbMap))',
      ExpressionAttributeNames: {
        '#n0': 'status',
        '#n1': 'lines',
        '#n2': '7',
        '#n3': 'v1.2',
        '#n4': 'size',
        '#n5': '8',
        '#ver': '_ver',
      },
      ExpressionAttributeValues: {
        ':v0': { S: 'x' },
        ':v1': { M: { qty: { N: '2' } } },
        ':v2': { NULL: true },
        ':ver': { S: version(5) },
        ':pg2ddbMap': { S: 'M' },
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  });

  it('keeps any unicode or punctuation out of the expression text', () => {
    const input = buildGuardedUpdate(updateCommand('t', 'k', 1, { 'größe #:=)': { S: 'x' }, 'm.a = :b': { S: 'y' } }));
    expect(input.UpdateExpression).toBe('SET #n0 = :v0, #n1.#n2 = :v1, #ver = :ver');
    expect(Object.values(input.ExpressionAttributeNames ?? {})).toEqual(['größe #:=)', 'm', 'a = :b', '_ver']);
  });

  it('sets only _ver for an empty update (the version still moves forward)', () => {
    expect(buildGuardedUpdate(updateCommand('t', 'k', 1, {})).UpdateExpression).toBe('SET #ver = :ver');
  });

  it.each([
    ['a name set and removed', { a: { S: 'x' } }, ['a']],
    ['a map set whole and one of its entries', { a: { M: {} }, 'a.b': { S: 'x' } }, []],
    ['an entry set and removed', { 'a.b': { S: 'x' } }, ['a.b']],
    ['a path removed twice', {}, ['a', 'a']],
    ['the reserved _ver', { _ver: { S: 'f' } }, []],
    ['an entry of _ver', { '_ver.x': { S: 'f' } }, []],
    ['an empty child', { 'a.': { S: 'f' } }, []],
  ])('refuses %s as a permanent INVALID_COMMAND', (_label, set, remove) => {
    expect(() => buildGuardedUpdate(updateCommand('t', 'k', 1, set, remove))).toThrow(
      expect.objectContaining({ code: DynamoErrorCode.INVALID_COMMAND, retriable: false }),
    );
  });

  it('refuses to change a key attribute', () => {
    expect(() => buildGuardedUpdate(updateCommand('t', 'k', 1, { pk: { S: 'other' } }))).toThrow(
      expect.objectContaining({ code: DynamoErrorCode.INVALID_KEY, retriable: false }),
    );
  });

  it('allows different entries of one map to be set and removed', () => {
    expect(buildGuardedUpdate(updateCommand('t', 'k', 1, { 'a.x': { S: '1' } }, ['a.y'])).UpdateExpression).toBe(
      'SET #n0.#n1 = :v0, #ver = :ver REMOVE #n0.#n2',
    );
  });
});

describe('buildGuardedUpdate for embedded children (guard)', () => {
  it("guards with the entry's own _ver and leaves the item's _ver alone", () => {
    const command = { ...updateCommand('t', 'k', 5, { 'lines.3': { M: { qty: { N: '2' }, _ver: { S: version(5) } } } }), guard: 'lines.3' };
    expect(buildGuardedUpdate(command)).toEqual({
      TableName: 't',
      Key: { pk: { S: 'k' } },
      UpdateExpression: 'SET #n0.#n1 = :v0',
      ConditionExpression: '(attribute_not_exists(#n0.#n1.#ver) OR #n0.#n1.#ver < :ver) AND (attribute_not_exists(#n0) OR attribute_type(#n0, :pg2ddbMap))',
      ExpressionAttributeNames: { '#n0': 'lines', '#n1': '3', '#ver': '_ver' },
      ExpressionAttributeValues: { ':v0': { M: { qty: { N: '2' }, _ver: { S: version(5) } } }, ':ver': { S: version(5) }, ':pg2ddbMap': { S: 'M' } },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  });

  it('guards the removal of an entry the same way', () => {
    const command = { ...updateCommand('t', 'k', 6, {}, ['lines.3']), guard: 'lines.3' };
    const input = buildGuardedUpdate(command);
    expect(input.UpdateExpression).toBe('REMOVE #n0.#n1');
    expect(input.ConditionExpression).toBe('(attribute_not_exists(#n0.#n1.#ver) OR #n0.#n1.#ver < :ver) AND (attribute_not_exists(#n0) OR attribute_type(#n0, :pg2ddbMap))');
  });

  it('refuses a guard that is not one of its own map-entry paths', () => {
    const notEntry = { ...updateCommand('t', 'k', 1, { status: { S: 'x' } }), guard: 'status' };
    expect(() => buildGuardedUpdate(notEntry)).toThrow('Invalid update command: guard "status" is not a map entry path (attribute.child)');
    const elsewhere = { ...updateCommand('t', 'k', 1, { 'lines.1': { S: 'x' } }), guard: 'lines.2' };
    expect(() => buildGuardedUpdate(elsewhere)).toThrow(`Invalid update command: guard "lines.2" is not one of the command's paths`);
  });

  it('creates the map unconditionally before a guarded child update', () => {
    const input = buildEnsureParentMaps({ ...updateCommand('t', 'k', 9, { 'lines.1': { S: 'a' } }), guard: 'lines.1' });
    expect(input?.ConditionExpression).toBeUndefined();
    expect(input?.UpdateExpression).toBe('SET #n0 = if_not_exists(#n0, :emptyMap)');
  });
});

describe('buildEnsureParentMaps', () => {
  it('creates each parent map of set and remove entries once, if missing, guarded, without moving _ver', () => {
    const input = buildEnsureParentMaps(updateCommand('t', 'k', 9, { 'lines.1': { S: 'a' }, 'lines.2': { S: 'b' }, status: { S: 'x' } }, ['tags.z']));
    expect(input).toEqual({
      TableName: 't',
      Key: { pk: { S: 'k' } },
      UpdateExpression: 'SET #n0 = if_not_exists(#n0, :emptyMap), #n1 = if_not_exists(#n1, :emptyMap)',
      ConditionExpression: 'attribute_not_exists(#ver) OR #ver < :ver',
      ExpressionAttributeNames: { '#n0': 'lines', '#n1': 'tags', '#ver': '_ver' },
      ExpressionAttributeValues: { ':ver': { S: version(9) }, ':emptyMap': { M: {} } },
    });
  });

  it('is undefined when no path goes into a map', () => {
    expect(buildEnsureParentMaps(updateCommand('t', 'k', 1, { status: { S: 'x' } }, ['size']))).toBeUndefined();
  });
});
