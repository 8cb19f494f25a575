import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Pool } from 'pg';

// The chaos suite's own comparator. It shares no code with libs/mapping on purpose: a mapping bug
// must not hide itself by computing the same wrong answer on both sides. It reads PostgreSQL values
// as text and DynamoDB items as raw AttributeValues, and knows just enough of the two examples'
// items to match them: which attribute holds the row's id, which columns to compare, and what the
// partition key is made of.

/** One compared column: its Postgres column, the item's attribute, and how to compare them. */
interface Column {
  column: string;
  attribute: string;
  kind: 'S' | 'N';
}

/** What the comparator knows of one entity. */
export interface CompareEntity {
  name: string;
  table: string;
  /** Item attribute and value naming the entity. */
  typeAttribute: string;
  /** Postgres primary key column and the item attribute holding it. */
  id: Column;
  columns: Column[];
  /** The partition key the row's item must have, from its text values. */
  partitionKey: (row: Record<string, string | null>) => string;
}

export const PAYMENTS_ENTITIES: CompareEntity[] = [
  {
    name: 'Payment',
    table: 'payments',
    typeAttribute: '_type',
    id: { column: 'paymentid', attribute: 'PaymentId', kind: 'N' },
    columns: [
      { column: 'customerid', attribute: 'CustomerId', kind: 'N' },
      { column: 'paymentamount', attribute: 'PaymentAmount', kind: 'N' },
      { column: 'paymentstatus', attribute: 'PaymentStatus', kind: 'S' },
    ],
    partitionKey: (row) => `CUSTOMER#${row.customerid}`,
  },
];

export const ECOMMERCE_ENTITIES: CompareEntity[] = [
  {
    name: 'User',
    table: 'users',
    typeAttribute: 'EntityType',
    id: { column: 'id', attribute: 'id', kind: 'N' },
    columns: [
      { column: 'name', attribute: 'name', kind: 'S' },
      { column: 'status', attribute: 'status', kind: 'S' },
    ],
    partitionKey: (row) => `USER#${row.id}`,
  },
  {
    name: 'Order',
    table: 'orders',
    typeAttribute: 'EntityType',
    id: { column: 'id', attribute: 'id', kind: 'N' },
    columns: [
      { column: 'user_id', attribute: 'user_id', kind: 'N' },
      { column: 'status', attribute: 'status', kind: 'S' },
      { column: 'total_amount', attribute: 'total_amount', kind: 'N' },
    ],
    partitionKey: (row) => `USER#${row.user_id}`,
  },
  {
    name: 'OrderItem',
    table: 'order_items',
    typeAttribute: 'EntityType',
    id: { column: 'id', attribute: 'id', kind: 'N' },
    columns: [
      { column: 'order_id', attribute: 'order_id', kind: 'N' },
      { column: 'quantity', attribute: 'quantity', kind: 'N' },
      { column: 'unit_price', attribute: 'unit_price', kind: 'N' },
    ],
    partitionKey: (row) => `ORDER#${row.order_id}`,
  },
  {
    name: 'Product',
    table: 'products',
    typeAttribute: 'EntityType',
    id: { column: 'id', attribute: 'id', kind: 'S' },
    columns: [
      { column: 'name', attribute: 'name', kind: 'S' },
      { column: 'price', attribute: 'price', kind: 'N' },
    ],
    partitionKey: (row) => `PRODUCT#${row.id}`,
  },
];

/** What one comparison found. */
export interface CompareResult {
  rows: number;
  items: number;
  /** Rows with no item. */
  lost: string[];
  /** Items whose compared values or partition key differ from the row's. */
  stale: string[];
  /** Items with no row, or a second item for one row (e.g. left at an old key). */
  extra: string[];
}

/**
 * Compares every row of the entities' tables (schema `schema`) with every item of `table`.
 * `excluded` row ids (per entity) are left out: rows whose changes sit in the DLQ.
 */
export async function compareStores(pg: Pool, schema: string, dynamo: DynamoDBClient, table: string, entities: CompareEntity[]): Promise<CompareResult> {
  const items = await scanAll(dynamo, table);
  const result: CompareResult = { rows: 0, items: items.length, lost: [], stale: [], extra: [] };
  for (const entity of entities) {
    const columns = [entity.id, ...entity.columns].map((c) => `${quote(c.column)}::text AS ${quote(c.column)}`).join(', ');
    const rows = (await pg.query<Record<string, string | null>>(`SELECT ${columns} FROM ${quote(schema)}.${quote(entity.table)}`)).rows;
    result.rows += rows.length;
    const byId = new Map<string, Record<string, AttributeValue>[]>();
    for (const item of items) {
      if (item[entity.typeAttribute]?.S !== entity.name) continue;
      const id = textOf(item[entity.id.attribute], entity.id.kind);
      const list = byId.get(id ?? '?');
      if (list) list.push(item);
      else byId.set(id ?? '?', [item]);
    }
    for (const row of rows) {
      const id = normal(row[entity.id.column] ?? '', entity.id.kind);
      const label = `${entity.name}#${id}`;
      const found = byId.get(id) ?? [];
      byId.delete(id);
      if (found.length === 0) {
        result.lost.push(label);
        continue;
      }
      const pk = entity.partitionKey(row);
      const current = found.filter((item) => item.PK?.S === pk);
      for (const item of found) if (item.PK?.S !== pk) result.extra.push(`${label} at ${item.PK?.S}|${item.SK?.S}`);
      const item = current[0];
      if (!item) {
        result.stale.push(`${label}: no item under ${pk}`);
        continue;
      }
      for (const extra of current.slice(1)) result.extra.push(`${label} at ${extra.PK?.S}|${extra.SK?.S}`);
      const differences = entity.columns.filter((c) => normal(row[c.column] ?? '', c.kind) !== (textOf(item[c.attribute], c.kind) ?? ''));
      if (differences.length > 0) {
        result.stale.push(`${label}: ${differences.map((c) => `${c.attribute} ${JSON.stringify(textOf(item[c.attribute], c.kind))} != ${JSON.stringify(row[c.column])}`).join(', ')}`);
      }
    }
    for (const [id, left] of byId) for (const item of left) result.extra.push(`${entity.name}#${id} at ${item.PK?.S}|${item.SK?.S} (no row)`);
  }
  return result;
}

async function scanAll(dynamo: DynamoDBClient, table: string): Promise<Record<string, AttributeValue>[]> {
  const items: Record<string, AttributeValue>[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** The text of a raw AttributeValue of the expected kind (numbers in canonical form), or undefined. */
function textOf(value: AttributeValue | undefined, kind: 'S' | 'N'): string | undefined {
  if (value === undefined) return undefined;
  if (kind === 'S') return value.S;
  return value.N === undefined ? undefined : canonicalNumber(value.N);
}

function normal(text: string, kind: 'S' | 'N'): string {
  return kind === 'N' && text !== '' ? canonicalNumber(text) : text;
}

/** `12.50` → `12.5`, `007` → `7`, `-0.0` → `0`: decimal text without insignificant zeros. */
export function canonicalNumber(text: string): string {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!match) return text;
  const integer = (match[2] ?? '').replace(/^0+(?=\d)/, '') || '0';
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  const body = fraction === '' ? integer : `${integer}.${fraction}`;
  return body === '0' ? '0' : `${match[1] === '-' ? '-' : ''}${body}`;
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
