import { fakeClient, sdkError } from '../sdk/fake-client.fixture';
import { writeItemBatches, type ItemWriteRequest } from './write-item-batches';

const put = (pk: string, version: string, owner: number): ItemWriteRequest => ({
  table: 'T',
  keyNames: ['pk'],
  owner,
  request: { PutRequest: { Item: { pk: { S: pk }, _ver: { S: version } } } },
});
const del = (pk: string, version: string, owner: number): ItemWriteRequest => ({ table: 'T', keyNames: ['pk'], owner, version, request: { DeleteRequest: { Key: { pk: { S: pk } } } } });
const options = { concurrency: 1, retry: { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 0 }, sleep: async () => undefined };

describe('writeItemBatches', () => {
  it('sends a retry as conditional single-item writes, never a second unconditional batch', async () => {
    let batchCalls = 0;
    const { client, sent } = fakeClient((command) => {
      if (command.name === 'BatchWriteItemCommand' && ++batchCalls === 1) throw sdkError('InternalServerError');
      return {};
    });
    const failures = await writeItemBatches(client, [put('a', 'v2', 0), del('b', 'v3', 1)], options);
    expect(failures.retriable.size + failures.refused.size).toBe(0);
    expect(sent.map((entry) => entry.name)).toEqual(['BatchWriteItemCommand', 'PutItemCommand', 'DeleteItemCommand']);
    for (const entry of sent.slice(1)) expect(entry.input.ConditionExpression).toBe('attribute_not_exists(#ver) OR #ver < :ver');
    expect(sent[1]?.input.ExpressionAttributeValues).toEqual({ ':ver': { S: 'v2' } });
    expect(sent[2]?.input.ExpressionAttributeValues).toEqual({ ':ver': { S: 'v3' } });
  });

  it('treats a refused condition on a retry as done: the table holds this version or a newer one', async () => {
    const { client, sent } = fakeClient(() => {
      throw sdkError('ConditionalCheckFailedException');
    });
    const failures = await writeItemBatches(client, [put('a', 'v2', 0)], { ...options, conditional: true });
    expect(failures.retriable.size + failures.refused.size).toBe(0);
    expect(sent.map((entry) => entry.name)).toEqual(['PutItemCommand']);
  });

  it('stops before any write call once the fence throws', async () => {
    const { client, sent } = fakeClient(() => ({}));
    const revoked = new Error('partition revoked');
    await expect(writeItemBatches(client, [put('a', 'v2', 0)], { ...options, beforeWrite: async () => Promise.reject(revoked) })).rejects.toBe(revoked);
    expect(sent).toEqual([]);
  });
});
