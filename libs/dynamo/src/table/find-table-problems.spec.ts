import type { TableDescription } from '@aws-sdk/client-dynamodb';

import { findTableProblems } from './find-table-problems';
import { tableSpecToCreateInput } from './table-spec-to-create-input';
import { tableSpec } from './table-spec.fixture';

/** What DescribeTable answers for a table created from the spec, once ACTIVE. */
function describedAsCreated(): TableDescription {
  const input = tableSpecToCreateInput(tableSpec('app'));
  return {
    TableName: 'app',
    TableStatus: 'ACTIVE',
    KeySchema: input.KeySchema,
    AttributeDefinitions: input.AttributeDefinitions,
    GlobalSecondaryIndexes: input.GlobalSecondaryIndexes?.map((gsi) => ({ ...gsi, IndexStatus: 'ACTIVE' })),
  };
}

const ttlOn = (attribute: string) => ({ TimeToLiveStatus: 'ENABLED' as const, AttributeName: attribute });

describe('findTableProblems', () => {
  it('finds nothing for a table created from the spec with TTL on', () => {
    expect(findTableProblems(tableSpec('app'), describedAsCreated(), ttlOn('expiresAt'))).toEqual([]);
  });

  it('reports a missing table', () => {
    expect(findTableProblems(tableSpec('app'), undefined, undefined)).toEqual([{ kind: 'table-missing', message: 'table app does not exist' }]);
  });

  it('lists every difference at once', () => {
    const table = describedAsCreated();
    table.TableStatus = 'UPDATING';
    table.KeySchema = [{ AttributeName: 'id', KeyType: 'HASH' }];
    table.AttributeDefinitions = [...(table.AttributeDefinitions ?? []), { AttributeName: 'id', AttributeType: 'N' }];
    const [gsi1, byAmount] = table.GlobalSecondaryIndexes ?? [];
    table.GlobalSecondaryIndexes = [
      { ...gsi1, IndexStatus: 'CREATING', KeySchema: [{ AttributeName: 'gsi1pk', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
      { ...byAmount, IndexName: 'other' },
    ];
    expect(findTableProblems(tableSpec('app'), table, ttlOn('ttl'))).toEqual([
      { kind: 'table-status', message: 'table is UPDATING, not ACTIVE' },
      { kind: 'key-schema', message: 'partition key: expected pk (S), found id (N)' },
      { kind: 'key-schema', message: 'sort key: expected sk (S), found none' },
      { kind: 'gsi-key-schema', message: 'GSI gsi1 sort key: expected gsi1sk (S), found none' },
      { kind: 'gsi-projection', message: 'GSI gsi1 projection: expected ALL, found KEYS_ONLY' },
      { kind: 'gsi-status', message: 'GSI gsi1 is CREATING, not ACTIVE' },
      { kind: 'gsi-missing', message: 'GSI byAmount is missing' },
      { kind: 'ttl-other-attribute', message: 'TTL is enabled on ttl, expected on expiresAt' },
    ]);
  });

  it('compares INCLUDE projections as sets and reports a different list', () => {
    const table = describedAsCreated();
    const byAmount = table.GlobalSecondaryIndexes?.[1];
    if (byAmount) byAmount.Projection = { ProjectionType: 'INCLUDE', NonKeyAttributes: ['createdAt', 'currency'] };
    expect(findTableProblems(tableSpec('app'), table, ttlOn('expiresAt'))).toEqual([]);
    if (byAmount) byAmount.Projection = { ProjectionType: 'INCLUDE', NonKeyAttributes: ['currency'] };
    expect(findTableProblems(tableSpec('app'), table, ttlOn('expiresAt'))).toEqual([
      { kind: 'gsi-projection', message: 'GSI byAmount projection: expected INCLUDE [createdAt, currency], found INCLUDE [currency]' },
    ]);
  });

  it('tells TTL that is off (repairable) from TTL the spec does not want', () => {
    expect(findTableProblems(tableSpec('app'), describedAsCreated(), { TimeToLiveStatus: 'DISABLED' })).toEqual([
      { kind: 'ttl-disabled', message: 'TTL is not enabled (expected on expiresAt)' },
    ]);
    const noTtl = { ...tableSpec('app'), ttlAttribute: undefined };
    expect(findTableProblems(noTtl, describedAsCreated(), ttlOn('expiresAt'))).toEqual([
      { kind: 'ttl-unexpected', message: 'TTL is enabled on expiresAt but the spec declares no TTL attribute' },
    ]);
    expect(findTableProblems(noTtl, describedAsCreated(), { TimeToLiveStatus: 'DISABLED' })).toEqual([]);
  });

  it('allows GSIs the spec does not mention', () => {
    const table = describedAsCreated();
    table.GlobalSecondaryIndexes?.push({ IndexName: 'ops', IndexStatus: 'ACTIVE', KeySchema: [{ AttributeName: 'x', KeyType: 'HASH' }] });
    expect(findTableProblems(tableSpec('app'), table, ttlOn('expiresAt'))).toEqual([]);
  });
});
