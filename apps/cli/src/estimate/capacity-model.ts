import type { AttributeMap, TableSpec } from '@pg2ddb/contracts';
import { itemSize } from '@pg2ddb/dynamo';

/** Prices, USD. Defaults: us-east-1 list prices (see PRICE_DEFAULTS). */
export interface Prices {
  /** On-demand, per million write request units. */
  wruPerMillion: number;
  /** On-demand, per million read request units. */
  rruPerMillion: number;
  /** Provisioned, per WCU-hour. */
  wcuHour: number;
  /** Provisioned, per RCU-hour. */
  rcuHour: number;
  /** Storage, Standard table class, per GB-month. */
  gbMonth: number;
}

/**
 * us-east-1 list prices, looked up on 2026-11-22 with the project's search tool:
 * aws.amazon.com/dynamodb/pricing ("Pricing at a glance": storage from $0.25 per GB-month,
 * WCU from $0.47 and RCU from $0.09 per unit-month, i.e. $0.00065 and $0.00013 per hour over
 * 730 hours); on-demand $0.625 per million WRU and $0.125 per million RRU after AWS's November
 * 2024 50% reduction (airbyte.com/data-engineering-resources/dynamodb-pricing). Free tier ignored.
 */
export const PRICE_DEFAULTS: Prices = { wruPerMillion: 0.625, rruPerMillion: 0.125, wcuHour: 0.00065, rcuHour: 0.00013, gbMonth: 0.25 };

export const HOURS_PER_MONTH = 730;
/** DynamoDB's per-item storage overhead (indexing). */
const ITEM_OVERHEAD_BYTES = 100;

/** What one item costs to write and store, in the table and in every GSI it projects into. */
export interface ItemCost {
  bytes: number;
  /** Write units for the table (1 per started KB). */
  tableWcu: number;
  /** Write units for the GSIs the item projects into. */
  gsiWcu: number;
  /** Bytes stored in GSIs. */
  gsiBytes: number;
  gsis: string[];
}

/**
 * An item's write cost: ceil(size / 1 KB) in the table plus, for each GSI whose key attributes
 * the item has (sparse indexes leave the others out), ceil(projected size / 1 KB). ALL projects
 * the whole item; KEYS_ONLY the table and index keys; INCLUDE also the listed attributes.
 */
export function itemCost(item: AttributeMap, table: TableSpec): ItemCost {
  const bytes = itemSize(item);
  const tableKeys = [table.partitionKey.name, table.sortKey?.name].filter((name): name is string => name !== undefined);
  let gsiWcu = 0;
  let gsiBytes = 0;
  const gsis: string[] = [];
  for (const gsi of table.gsis) {
    const keys = [gsi.partitionKey.name, gsi.sortKey?.name].filter((name): name is string => name !== undefined);
    if (!keys.every((name) => item[name] !== undefined)) continue;
    let projected: number;
    if (gsi.projection === 'ALL') projected = bytes;
    else {
      const names = new Set([...tableKeys, ...keys, ...(gsi.projection === 'KEYS_ONLY' ? [] : gsi.projection.include)]);
      projected = itemSize(Object.fromEntries(Object.entries(item).filter(([name]) => names.has(name))));
    }
    gsis.push(gsi.name);
    gsiWcu += Math.ceil(projected / 1024);
    gsiBytes += projected + ITEM_OVERHEAD_BYTES;
  }
  return { bytes, tableWcu: Math.ceil(bytes / 1024), gsiWcu, gsiBytes, gsis };
}

/** One entity's sizing inputs: rows, sampled item costs and change rate. */
export interface EntitySizing {
  entity: string;
  rows: number;
  samples: ItemCost[];
  /** Row changes per second (inserts + updates + deletes). */
  changesPerSecond: number;
}

/** Capacity and monthly cost of one billing mode. */
export interface CostLine {
  mode: 'on-demand' | 'provisioned';
  initialLoad: number;
  steadyWrites: number;
  steadyReads: number;
  storage: number;
  monthly: number;
}

export interface CapacityEstimate {
  entities: Array<{
    entity: string;
    rows: number;
    avgItemBytes: number;
    maxItemBytes: number;
    avgWcuPerWrite: number;
    gsiAmplification: number;
    loadWriteUnits: number;
    steadyWriteUnitsPerSecond: number;
    storageBytes: number;
  }>;
  loadWriteUnits: number;
  loadProvisionedWcu: number;
  steadyWriteUnitsPerSecond: number;
  steadyReadUnitsPerSecond: number;
  provisionedWcu: number;
  provisionedRcu: number;
  storageGb: number;
  costs: CostLine[];
}

/**
 * From sampled item costs and change rates: write units for the initial load and per second in
 * steady state (GSI writes included), reads (full reconciliation scans, eventually consistent,
 * plus application reads), storage, and the monthly cost on demand and provisioned (provisioned
 * at `targetUtilization`, the initial load spread over `loadHours`). Pure.
 */
export function estimateCapacity(
  sizings: EntitySizing[],
  options: { prices: Prices; loadHours: number; targetUtilization: number; fullReconcilesPerMonth: number; appReadsPerSecond: number },
): CapacityEstimate {
  const entities = sizings.map((sizing) => {
    const n = Math.max(1, sizing.samples.length);
    const avg = (pick: (cost: ItemCost) => number) => sizing.samples.reduce((sum, cost) => sum + pick(cost), 0) / n;
    const avgItemBytes = avg((c) => c.bytes);
    const tableWcu = avg((c) => c.tableWcu);
    const avgWcuPerWrite = avg((c) => c.tableWcu + c.gsiWcu);
    return {
      entity: sizing.entity,
      rows: sizing.rows,
      avgItemBytes,
      maxItemBytes: Math.max(0, ...sizing.samples.map((c) => c.bytes)),
      avgWcuPerWrite,
      gsiAmplification: tableWcu > 0 ? avgWcuPerWrite / tableWcu : 1,
      loadWriteUnits: sizing.rows * avgWcuPerWrite,
      steadyWriteUnitsPerSecond: sizing.changesPerSecond * avgWcuPerWrite,
      storageBytes: sizing.rows * (avgItemBytes + ITEM_OVERHEAD_BYTES + avg((c) => c.gsiBytes)),
    };
  });
  const sum = (pick: (e: (typeof entities)[number]) => number) => entities.reduce((total, e) => total + pick(e), 0);
  const loadWriteUnits = sum((e) => e.loadWriteUnits);
  const steadyWriteUnitsPerSecond = sum((e) => e.steadyWriteUnitsPerSecond);
  const tableBytes = sum((e) => e.rows * (e.avgItemBytes + ITEM_OVERHEAD_BYTES));
  const avgReadUnits = entities.length > 0 ? Math.max(...entities.map((e) => Math.ceil(e.avgItemBytes / 4096))) : 1;
  // A full reconciliation scans the table with eventually consistent reads: 0.5 unit per 4 KB.
  const scanReadUnitsPerMonth = (tableBytes / 4096) * 0.5 * options.fullReconcilesPerMonth;
  const steadyReadUnitsPerSecond = scanReadUnitsPerMonth / (HOURS_PER_MONTH * 3600) + options.appReadsPerSecond * 0.5 * avgReadUnits;
  const storageGb = sum((e) => e.storageBytes) / 1024 ** 3;
  const { prices } = options;
  const storage = storageGb * prices.gbMonth;
  const secondsPerMonth = HOURS_PER_MONTH * 3600;
  const onDemandWrites = (steadyWriteUnitsPerSecond * secondsPerMonth * prices.wruPerMillion) / 1e6;
  const onDemandReads = (steadyReadUnitsPerSecond * secondsPerMonth * prices.rruPerMillion) / 1e6;
  const provisionedWcu = Math.max(1, Math.ceil(steadyWriteUnitsPerSecond / options.targetUtilization));
  const provisionedRcu = Math.max(1, Math.ceil(steadyReadUnitsPerSecond / options.targetUtilization));
  const loadProvisionedWcu = Math.max(1, Math.ceil(loadWriteUnits / (options.loadHours * 3600) / options.targetUtilization));
  const provisionedWrites = provisionedWcu * HOURS_PER_MONTH * prices.wcuHour;
  const provisionedReads = provisionedRcu * HOURS_PER_MONTH * prices.rcuHour;
  return {
    entities,
    loadWriteUnits,
    loadProvisionedWcu,
    steadyWriteUnitsPerSecond,
    steadyReadUnitsPerSecond,
    provisionedWcu,
    provisionedRcu,
    storageGb,
    costs: [
      { mode: 'on-demand', initialLoad: (loadWriteUnits * prices.wruPerMillion) / 1e6, steadyWrites: onDemandWrites, steadyReads: onDemandReads, storage, monthly: onDemandWrites + onDemandReads + storage },
      {
        mode: 'provisioned',
        initialLoad: loadProvisionedWcu * options.loadHours * prices.wcuHour,
        steadyWrites: provisionedWrites,
        steadyReads: provisionedReads,
        storage,
        monthly: provisionedWrites + provisionedReads + storage,
      },
    ],
  };
}
