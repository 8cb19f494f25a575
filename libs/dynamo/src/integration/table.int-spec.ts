import { CreateTableCommand, DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

import { describeTable, describeTimeToLive } from '../table/describe-table';
import { DynamoErrorCode } from '../sdk/dynamo-error';
import { ensureTable } from '../table/ensure-table';
import { tableSpec } from '../table/table-spec.fixture';
import { validateTable } from '../table/validate-table';
import { integrationClient, randomTableName } from './dynamo-emulator.fixture';

describe('table create and validate (DynamoDB emulator)', () => {
  let client: DynamoDBClient;
  const created: string[] = [];

  beforeAll(() => {
    client = integrationClient();
  });

  afterAll(async () => {
    await Promise.all(created.map((name) => client.send(new DeleteTableCommand({ TableName: name })).catch(() => undefined)));
    client.destroy();
  });

  it('creates the table with its GSIs and TTL, and is idempotent', async () => {
    const spec = tableSpec(randomTableName('ensure'));
    created.push(spec.name);
    const progress: string[] = [];

    await expect(ensureTable(client, spec, { onProgress: (message) => progress.push(message) })).resolves.toEqual({
      created: true,
      ttlEnabled: true,
    });
    expect(progress[0]).toBe(`creating table ${spec.name}`);
    await expect(validateTable(client, spec)).resolves.toEqual([]);

    await expect(ensureTable(client, spec)).resolves.toEqual({ created: false, ttlEnabled: true });
    await expect(validateTable(client, spec)).resolves.toEqual([]);

    const table = await describeTable(client, spec.name);
    expect(table).toMatchObject({ TableName: spec.name, TableStatus: 'ACTIVE', BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' }, ItemCount: 0 });
    expect(table?.GlobalSecondaryIndexes?.map((gsi) => [gsi.IndexName, gsi.IndexStatus])).toEqual([
      ['gsi1', 'ACTIVE'],
      ['byAmount', 'ACTIVE'],
    ]);
    expect(await describeTimeToLive(client, spec.name)).toMatchObject({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
  });

  it('reports exactly what differs in a table that does not match, and ensureTable refuses it', async () => {
    const spec = tableSpec(randomTableName('mismatch'));
    created.push(spec.name);
    // Someone made "the same" table by hand: numeric pk, no sort key, one GSI keyed differently.
    await client.send(
      new CreateTableCommand({
        TableName: spec.name,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'N' },
          { AttributeName: 'gsi1pk', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [
          { IndexName: 'gsi1', KeySchema: [{ AttributeName: 'gsi1pk', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
        ],
      }),
    );
    const expected = [
      'partition key: expected pk (S), found pk (N)',
      'sort key: expected sk (S), found none',
      'GSI gsi1 sort key: expected gsi1sk (S), found none',
      'GSI gsi1 projection: expected ALL, found KEYS_ONLY',
      'GSI byAmount is missing',
      'TTL is not enabled (expected on expiresAt)',
    ];
    await expect(validateTable(client, spec)).resolves.toEqual(expected);
    await expect(ensureTable(client, spec)).rejects.toMatchObject({
      code: DynamoErrorCode.TABLE_MISMATCH,
      retriable: false,
      // TTL alone would be repaired; the rest is reported, and nothing is changed.
      details: { problems: expected.slice(0, 5) },
    });
    await expect(validateTable(client, spec)).resolves.toEqual(expected);
  });

  it('reports a missing table', async () => {
    const name = randomTableName('missing');
    await expect(validateTable(client, tableSpec(name))).resolves.toEqual([`table ${name} does not exist`]);
    await expect(describeTable(client, name)).resolves.toBeUndefined();
  });
});
