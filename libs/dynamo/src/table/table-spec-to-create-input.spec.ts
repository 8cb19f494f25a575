import { DynamoErrorCode } from '../sdk/dynamo-error';
import { tableSpecToCreateInput } from './table-spec-to-create-input';
import { tableSpec } from './table-spec.fixture';

describe('tableSpecToCreateInput', () => {
  it('declares key schema, each key attribute once, and GSIs with projections, on demand by default', () => {
    expect(tableSpecToCreateInput(tableSpec('app'))).toEqual({
      TableName: 'app',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'gsi1pk', AttributeType: 'S' },
        { AttributeName: 'gsi1sk', AttributeType: 'S' },
        { AttributeName: 'status', AttributeType: 'S' },
        { AttributeName: 'amount', AttributeType: 'N' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gsi1',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: 'byAmount',
          KeySchema: [
            { AttributeName: 'status', KeyType: 'HASH' },
            { AttributeName: 'amount', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['currency', 'createdAt'] },
        },
      ],
    });
  });

  it('puts provisioned capacity on the table and every GSI', () => {
    const input = tableSpecToCreateInput(tableSpec('app'), { read: 5, write: 7 });
    expect(input.BillingMode).toBe('PROVISIONED');
    expect(input.ProvisionedThroughput).toEqual({ ReadCapacityUnits: 5, WriteCapacityUnits: 7 });
    expect(input.GlobalSecondaryIndexes?.map((gsi) => gsi.ProvisionedThroughput)).toEqual([
      { ReadCapacityUnits: 5, WriteCapacityUnits: 7 },
      { ReadCapacityUnits: 5, WriteCapacityUnits: 7 },
    ]);
  });

  it('shares an attribute between table and GSI keys, and omits GSIs when there are none', () => {
    const input = tableSpecToCreateInput({
      name: 'x',
      partitionKey: { name: 'pk', type: 'S' },
      gsis: [{ name: 'inverse', partitionKey: { name: 'sk', type: 'S' }, sortKey: { name: 'pk', type: 'S' }, projection: 'KEYS_ONLY' }],
    });
    expect(input.AttributeDefinitions).toEqual([
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ]);
    expect(input.GlobalSecondaryIndexes?.[0]?.Projection).toEqual({ ProjectionType: 'KEYS_ONLY' });
    expect(tableSpecToCreateInput({ name: 'y', partitionKey: { name: 'pk', type: 'S' }, gsis: [] }).GlobalSecondaryIndexes).toBeUndefined();
  });

  it('refuses one attribute with two key types', () => {
    const spec = tableSpec('app');
    spec.gsis.push({ name: 'bad', partitionKey: { name: 'pk', type: 'N' }, projection: 'ALL' });
    expect(() => tableSpecToCreateInput(spec)).toThrow(expect.objectContaining({ code: DynamoErrorCode.INVALID_TABLE_SPEC }));
  });
});
