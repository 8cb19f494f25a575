import { applyCommand } from './apply-command';
import { deleteCommand, putCommand, updateCommand } from './command.fixture';
import { DynamoErrorCode } from '../sdk/dynamo-error';
import { fakeClient, sdkError } from '../sdk/fake-client.fixture';

const DOCUMENT_PATH = 'The document path provided in the update expression is invalid for update';

describe('applyCommand', () => {
  it.each([
    ['put', putCommand('t', 'k', 2), 'PutItemCommand'],
    ['delete', deleteCommand('t', 'k', 2), 'DeleteItemCommand'],
    ['update', updateCommand('t', 'k', 2, { a: { S: 'x' } }), 'UpdateItemCommand'],
  ])('sends a guarded %s and reports applied', async (_op, command, sdkCommand) => {
    const { client, sent } = fakeClient(() => ({}));
    await expect(applyCommand(client, command)).resolves.toBe('applied');
    expect(sent.map((entry) => entry.name)).toEqual([sdkCommand]);
    expect(sent[0]?.input.ConditionExpression).toBe('attribute_not_exists(#ver) OR #ver < :ver');
  });

  it('reports stale, not an error, when the item holds a newer or equal version', async () => {
    const { client } = fakeClient(() => {
      throw sdkError('ConditionalCheckFailedException');
    });
    await expect(applyCommand(client, putCommand('t', 'k', 1))).resolves.toBe('stale');
    await expect(applyCommand(client, deleteCommand('t', 'k', 1))).resolves.toBe('stale');
  });

  it('refuses a partial update of a missing item with DYNAMO_ITEM_MISSING instead of creating a partial item', async () => {
    const partial = { ...updateCommand('t', 'k', 2, { a: { S: 'x' } }), partial: true as const };
    const { client, sent } = fakeClient((command) => {
      if (command.name === 'UpdateItemCommand') throw sdkError('ConditionalCheckFailedException');
      return {};
    });
    await expect(applyCommand(client, partial)).rejects.toMatchObject({ code: DynamoErrorCode.ITEM_MISSING, retriable: false });
    expect(sent[0]?.input.ConditionExpression).toBe('attribute_exists(#n1) AND (attribute_not_exists(#ver) OR #ver < :ver)');
    expect(sent.map((entry) => entry.name)).toEqual(['UpdateItemCommand', 'GetItemCommand']);
  });

  it('reports a partial update of an item holding a newer version as stale', async () => {
    const partial = { ...updateCommand('t', 'k', 2, { a: { S: 'x' } }), partial: true as const };
    const { client } = fakeClient((command) => {
      if (command.name === 'UpdateItemCommand') throw sdkError('ConditionalCheckFailedException');
      return { Item: { pk: { S: 'k' } } };
    });
    await expect(applyCommand(client, partial)).resolves.toBe('stale');
  });

  it('creates a missing parent map, then retries the update once', async () => {
    let calls = 0;
    const { client, sent } = fakeClient(() => {
      if (++calls === 1) throw sdkError('ValidationException', DOCUMENT_PATH);
      return {};
    });
    await expect(applyCommand(client, updateCommand('t', 'k', 2, { 'lines.1': { S: 'x' } }))).resolves.toBe('applied');
    expect(sent.map((entry) => entry.input.UpdateExpression)).toEqual([
      'SET #n0.#n1 = :v0, #ver = :ver',
      'SET #n0 = if_not_exists(#n0, :emptyMap)',
      'SET #n0.#n1 = :v0, #ver = :ver',
    ]);
  });

  it('reports stale when the map-creating step finds a newer version', async () => {
    let calls = 0;
    const { client, sent } = fakeClient(() => {
      if (++calls === 1) throw sdkError('ValidationException', DOCUMENT_PATH);
      throw sdkError('ConditionalCheckFailedException');
    });
    await expect(applyCommand(client, updateCommand('t', 'k', 2, { 'lines.1': { S: 'x' } }))).resolves.toBe('stale');
    expect(sent).toHaveLength(2);
  });

  it('names a refused condition whose stored item holds a non-map where a map entry is written (emulators that skip the document-path check)', async () => {
    const refused = (item: Record<string, unknown>) =>
      fakeClient(() => {
        throw Object.assign(sdkError('ConditionalCheckFailedException'), { Item: item });
      }).client;
    const command = updateCommand('t', 'k', 2, { 'lines.1': { S: 'x' } });
    await expect(applyCommand(refused({ pk: { S: 'k' }, lines: { S: 'not a map' } }), command)).rejects.toMatchObject({
      code: DynamoErrorCode.INVALID_DOCUMENT_PATH,
      retriable: false,
      message: 'Attribute lines is not a map, so lines.1 cannot be written (the document path is invalid)',
    });
    // A map there means the version guard refused it: stale, as before.
    await expect(applyCommand(refused({ pk: { S: 'k' }, lines: { M: {} }, _ver: { S: '9' } }), command)).resolves.toBe('stale');
  });

  it('fails permanently when the parent exists but is no map (the retry fails the same way)', async () => {
    const { client, sent } = fakeClient((command) => {
      if (String(command.input.UpdateExpression).includes('if_not_exists')) return {};
      throw sdkError('ValidationException', DOCUMENT_PATH);
    });
    await expect(applyCommand(client, updateCommand('t', 'k', 2, { 'lines.1': { S: 'x' } }))).rejects.toMatchObject({
      code: DynamoErrorCode.INVALID_DOCUMENT_PATH,
      retriable: false,
    });
    expect(sent).toHaveLength(3);
  });

  it('does not try to create maps for an update without map entries', async () => {
    const { client, sent } = fakeClient(() => {
      throw sdkError('ValidationException', DOCUMENT_PATH);
    });
    await expect(applyCommand(client, updateCommand('t', 'k', 2, { a: { S: 'x' } }))).rejects.toMatchObject({
      code: DynamoErrorCode.INVALID_DOCUMENT_PATH,
    });
    expect(sent).toHaveLength(1);
  });

  it('classifies other failures with the command in the details', async () => {
    const { client } = fakeClient(() => {
      throw sdkError('ProvisionedThroughputExceededException');
    });
    await expect(applyCommand(client, putCommand('t', 'k', 1))).rejects.toMatchObject({
      code: DynamoErrorCode.THROTTLED,
      retriable: true,
      details: expect.objectContaining({ table: 't', op: 'put', entity: 'User' }),
    });
  });

  it('rejects an unknown op permanently without calling DynamoDB', async () => {
    const { client, sent } = fakeClient(() => ({}));
    const command = { ...putCommand('t', 'k', 1), op: 'upsert' } as never;
    await expect(applyCommand(client, command)).rejects.toMatchObject({ code: DynamoErrorCode.INVALID_COMMAND, retriable: false });
    expect(sent).toHaveLength(0);
  });
});
