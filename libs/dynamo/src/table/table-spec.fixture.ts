import type { TableSpec } from '@pg2ddb/contracts';

/** A single-table spec with two GSIs (one sparse INCLUDE) and TTL, as a mapping would declare it. */
export function tableSpec(name: string): TableSpec {
  return {
    name,
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    gsis: [
      { name: 'gsi1', partitionKey: { name: 'gsi1pk', type: 'S' }, sortKey: { name: 'gsi1sk', type: 'S' }, projection: 'ALL' },
      { name: 'byAmount', partitionKey: { name: 'status', type: 'S' }, sortKey: { name: 'amount', type: 'N' }, projection: { include: ['currency', 'createdAt'] } },
    ],
    ttlAttribute: 'expiresAt',
  };
}
