import type { TableSpec } from '@pg2ddb/contracts';
import { estimateCapacity, itemCost, PRICE_DEFAULTS } from './capacity-model';

const table: TableSpec = {
  name: 't',
  partitionKey: { name: 'PK', type: 'S' },
  sortKey: { name: 'SK', type: 'S' },
  gsis: [
    { name: 'All', partitionKey: { name: 'G1PK', type: 'S' }, projection: 'ALL' },
    { name: 'Keys', partitionKey: { name: 'G2PK', type: 'S' }, projection: 'KEYS_ONLY' },
    { name: 'Sparse', partitionKey: { name: 'G3PK', type: 'S' }, projection: 'ALL' },
  ],
};

describe('itemCost', () => {
  it('charges the table and every GSI the item projects into, by 1 KB units', () => {
    const item = { PK: { S: 'P' }, SK: { S: 'S' }, G1PK: { S: 'g' }, G2PK: { S: 'k' }, body: { S: 'x'.repeat(1500) } };
    const cost = itemCost(item, table);
    // PK(2+1) SK(2+1) G1PK(4+1) G2PK(4+1) body(4+1500) = 1520 bytes → 2 WCU; ALL → 2; KEYS_ONLY (PK, SK, G2PK: 11 bytes) → 1.
    expect(cost).toEqual({ bytes: 1520, tableWcu: 2, gsiWcu: 3, gsiBytes: 1520 + 100 + 11 + 100, gsis: ['All', 'Keys'] });
  });
});

describe('estimateCapacity', () => {
  it('turns rows, item costs and change rates into units and monthly costs', () => {
    const samples = [{ bytes: 900, tableWcu: 1, gsiWcu: 2, gsiBytes: 1000, gsis: ['All', 'Keys'] }];
    const estimate = estimateCapacity([{ entity: 'E', rows: 1_000_000, samples, changesPerSecond: 10 }], {
      prices: PRICE_DEFAULTS,
      loadHours: 10,
      targetUtilization: 0.5,
      fullReconcilesPerMonth: 0,
      appReadsPerSecond: 0,
    });
    expect(estimate.entities[0]).toMatchObject({ avgWcuPerWrite: 3, gsiAmplification: 3, loadWriteUnits: 3_000_000, steadyWriteUnitsPerSecond: 30 });
    expect(estimate.loadProvisionedWcu).toBe(Math.ceil(3_000_000 / 36000 / 0.5));
    expect(estimate.provisionedWcu).toBe(60);
    const [onDemand, provisioned] = estimate.costs;
    expect(onDemand?.initialLoad).toBeCloseTo(1.875, 6); // 3M WRU × $0.625/M
    expect(onDemand?.steadyWrites).toBeCloseTo((30 * 730 * 3600 * 0.625) / 1e6, 6);
    expect(provisioned?.steadyWrites).toBeCloseTo(60 * 730 * 0.00065, 6);
    expect(estimate.storageGb).toBeCloseTo((1_000_000 * (900 + 100 + 1000)) / 1024 ** 3, 9);
  });
});
