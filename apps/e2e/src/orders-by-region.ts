// A mapping that keys orders by their region, so a row whose region is NULL cannot be keyed and is
// dead-lettered by the transformer: the DLQ, replay and status-page specs start from it.

/** The mapping: Order items at REGION#{region} / ORDER#{id}. */
export const ORDERS_BY_REGION_MAPPING = `
table: { name: Orders, partitionKey: { name: PK, type: S }, sortKey: { name: SK, type: S } }
entities:
  - name: Order
    source: { schema: public, table: orders }
    primaryKey: [id]
    columns: { id: integer, region: text, total: numeric }
    key: { pk: "REGION#{region}", sk: "ORDER#{id}" }
`;

/** The orders table (region nullable), filled by `INSERT INTO orders <rows>` (`VALUES …` or `SELECT …`). */
export function ordersTableSql(rows: string, options: { totalNotNull?: boolean } = {}): string {
  const total = options.totalNotNull === false ? 'numeric' : 'numeric NOT NULL';
  return `CREATE TABLE orders (id integer PRIMARY KEY, region text, total ${total});\nINSERT INTO orders ${rows};`;
}
