import type { TableDescription } from '@aws-sdk/client-dynamodb';

import { DynamoErrorCode } from '../sdk/dynamo-error';
import { ensureTable } from './ensure-table';
import { fakeClient, sdkError } from '../sdk/fake-client.fixture';
import { tableSpecToCreateInput } from './table-spec-to-create-input';
import { tableSpec } from './table-spec.fixture';

function asCreated(status: 'CREATING' | 'ACTIVE'): TableDescription {
  const input = tableSpecToCreateInput(tableSpec('app'));
  return {
    TableStatus: status,
    KeySchema: input.KeySchema,
    AttributeDefinitions: input.AttributeDefinitions,
    GlobalSecondaryIndexes: input.GlobalSecondaryIndexes?.map((gsi) => ({ ...gsi, IndexStatus: status })),
  };
}

describe('ensureTable (fake DynamoDB)', () => {
  it('creates, waits for the table and GSIs, then enables TTL', async () => {
    let describes = 0;
    const progress: string[] = [];
    const { client, sent } = fakeClient((command) => {
      switch (command.name) {
        case 'DescribeTableCommand':
          describes++;
          if (describes === 1) throw sdkError('ResourceNotFoundException');
          return { Table: asCreated(describes < 3 ? 'CREATING' : 'ACTIVE') };
        case 'DescribeTimeToLiveCommand':
          return { TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } };
        default:
          return {};
      }
    });
    const result = await ensureTable(client, tableSpec('app'), { onProgress: (message) => progress.push(message), waitTimeoutMs: 5000 });
    expect(result).toEqual({ created: true, ttlEnabled: true });
    expect(sent.map((command) => command.name)).toEqual([
      'DescribeTableCommand',
      'CreateTableCommand',
      'DescribeTableCommand',
      'DescribeTableCommand',
      'DescribeTimeToLiveCommand',
      'UpdateTimeToLiveCommand',
    ]);
    expect(sent[5]?.input).toEqual({ TableName: 'app', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } });
    expect(progress[0]).toBe('creating table app');
    expect(progress).toContain('waiting for app: table CREATING, GSI gsi1 CREATING, GSI byAmount CREATING');
  });

  it('validates a table another replica created concurrently (ResourceInUse) instead of failing', async () => {
    let describes = 0;
    const { client } = fakeClient((command) => {
      if (command.name === 'DescribeTableCommand') {
        if (++describes === 1) throw sdkError('ResourceNotFoundException');
        return { Table: asCreated('ACTIVE') };
      }
      if (command.name === 'CreateTableCommand') throw sdkError('ResourceInUseException');
      return { TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' } };
    });
    await expect(ensureTable(client, tableSpec('app'))).resolves.toEqual({ created: false, ttlEnabled: true });
  });

  it('gives up waiting with a retriable TABLE_NOT_ACTIVE', async () => {
    const { client } = fakeClient(() => ({ Table: asCreated('CREATING') }));
    await expect(ensureTable(client, tableSpec('app'), { waitTimeoutMs: 30 })).rejects.toMatchObject({
      code: DynamoErrorCode.TABLE_NOT_ACTIVE,
      retriable: true,
    });
  });

  it('never changes a mismatching table: TABLE_MISMATCH lists the problems', async () => {
    const { client, sent } = fakeClient((command) => {
      if (command.name === 'DescribeTableCommand') {
        return { Table: { ...asCreated('ACTIVE'), GlobalSecondaryIndexes: [] } };
      }
      return { TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } };
    });
    await expect(ensureTable(client, tableSpec('app'))).rejects.toMatchObject({
      code: DynamoErrorCode.TABLE_MISMATCH,
      retriable: false,
      message: 'Table app does not match its spec: GSI gsi1 is missing; GSI byAmount is missing',
      details: { table: 'app', problems: ['GSI gsi1 is missing', 'GSI byAmount is missing'] },
    });
    expect(sent.map((command) => command.name)).not.toContain('UpdateTimeToLiveCommand');
  });
});
