import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AttributeMap } from '@pg2ddb/contracts';
import { scanEntityItems } from '@pg2ddb/dynamo';
import { errorMessage } from '@pg2ddb/errors';
import { compareItemWithRow, entityItemToRow, rowKeyOf, type ColumnDifference, type InverseEntity } from '@pg2ddb/mapping';
import { countRows, readRowsByKeys, sourceColumnTypes } from '@pg2ddb/postgres';
import type { Pool } from 'pg';

/** One entity compared from DynamoDB's side (the way back's truth). */
export interface WayBackReport {
  entity: string;
  /** Items read. */
  checked: number;
  matched: number;
  /** Items with no row. */
  missing: number;
  /** Rows no item accounts for. */
  unexpected: number;
  /** Items whose row differs. */
  mismatch: number;
  /** Items the inverse mapping refuses (they are dead-lettered by the PostgreSQL writer too). */
  unmapped: number;
  /** Up to `sampleLimit` examples of missing, mismatched and unmapped items. */
  samples: Array<{ key: AttributeMap; kind: 'missing' | 'mismatch' | 'unmapped'; differences?: ColumnDifference[]; reason?: string }>;
}

/**
 * The reconciler in the other direction: every item of the entity through the inverse mapping,
 * against the row PostgreSQL holds for its primary key (read by key, values as text), column by
 * column; rows left over are `unexpected`. Bounded memory: one Scan page at a time.
 */
export async function reconcileItemsToRows(
  pg: Pool,
  dynamo: DynamoDBClient,
  entity: InverseEntity,
  table: string,
  options: { segments?: number; concurrency?: number; sampleLimit?: number } = {},
): Promise<WayBackReport> {
  const e = entity.entity;
  const report: WayBackReport = { entity: e.name, checked: 0, matched: 0, missing: 0, unexpected: 0, mismatch: 0, unmapped: 0, samples: [] };
  const limit = options.sampleLimit ?? 10;
  const sample = (entry: WayBackReport['samples'][number]) => {
    if (report.samples.length < limit) report.samples.push(entry);
  };
  const source = { schema: e.schema, table: e.table, columns: e.columns, primaryKey: e.primaryKey, types: await sourceColumnTypes(pg, e.schema, e.table) };
  const keyOf = (item: AttributeMap) => Object.fromEntries(e.key.map((part) => [part.attribute.name, item[part.attribute.name]!]));
  await scanEntityItems(dynamo, { table, entityType: { attribute: e.entityType.attribute, value: e.entityType.value }, ...(options.segments ? { segments: options.segments } : {}), concurrency: options.concurrency ?? 4 }, async (items) => {
    const inverted: Array<{ item: AttributeMap; rowKey: string; key: Record<string, string> }> = [];
    for (const item of items) {
      report.checked++;
      try {
        const row = entityItemToRow(entity, item);
        inverted.push({ item, rowKey: rowKeyOf(e.primaryKey, row.primaryKey), key: Object.fromEntries(e.primaryKey.map((c) => [c, String(row.primaryKey[c])])) });
      } catch (error) {
        report.unmapped++;
        sample({ key: keyOf(item), kind: 'unmapped', reason: errorMessage(error) });
      }
    }
    const rows = await readRowsByKeys(pg, source, inverted.map((i) => i.key));
    const byKey = new Map(rows.map((row) => [rowKeyOf(e.primaryKey, row), row]));
    for (const { item, rowKey } of inverted) {
      const row = byKey.get(rowKey);
      if (!row) {
        report.missing++;
        sample({ key: keyOf(item), kind: 'missing' });
        continue;
      }
      const differences = compareItemWithRow(entity, item, row);
      if (differences.length === 0) report.matched++;
      else {
        report.mismatch++;
        sample({ key: keyOf(item), kind: 'mismatch', differences });
      }
    }
  });
  report.unexpected = Math.max(0, (await countRows(pg, e.schema, e.table)) - report.matched - report.mismatch);
  return report;
}
