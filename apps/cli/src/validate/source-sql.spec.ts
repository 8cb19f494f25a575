import { compileMapping, loadMapping } from '@pg2ddb/mapping';
import type { SourceColumn } from '@pg2ddb/postgres';
import { itemSizeEstimateSql, literalBytes, partExpressions, placeholderSql, readColumnSql } from './source-sql';

const mapping = compileMapping(
  loadMapping(
    `version: 1
table: { name: tbl, partitionKey: { name: PK, type: S }, sortKey: { name: SK, type: S }, gsis: [{ name: ByDay, partitionKey: { name: GPK, type: S } }] }
entities:
  - name: Order
    source: { table: orders }
    primaryKey: [id]
    columns: { id: integer, code: text, at: timestamptz, blob: bytea }
    key: { pk: "ORDER#{code:lower}", sk: "{at:iso}#{id}" }
    gsis: { ByDay: { pk: "D#{at:date}" } }
`,
    'test',
  ),
);
const column = (name: string, udtName: string): SourceColumn => ({ name, type: udtName, udtName, isEnum: false, isArray: false, notNull: false, toastable: true });
const live = new Map([column('id', 'int4'), column('code', 'text'), column('at', 'timestamptz'), column('blob', 'bytea')].map((c) => [c.name, c]));
const entity = mapping.entity('Order')!;

describe('source SQL', () => {
  it('renders placeholders as the key templates do', () => {
    expect(placeholderSql('code', 'lower', live.get('code'))).toBe('lower("code"::text)');
    expect(placeholderSql('at', 'date', live.get('at'))).toBe('("at")::date::text');
    expect(placeholderSql('at', 'iso', live.get('at'))).toBe(`to_char("at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`);
    expect(placeholderSql('blob', undefined, live.get('blob'))).toBe(`encode("blob", 'base64')`);
    expect(partExpressions(entity, entity.key[0]!, live)).toEqual(['lower("code"::text)']);
    expect(literalBytes(entity.key[0]!)).toBe(6);
  });

  it('estimates item size from every attribute and key template and reads columns exactly', () => {
    const sql = itemSizeEstimateSql(entity, live);
    expect(sql).toContain('coalesce(octet_length("blob"), 0)');
    expect(sql).toContain('coalesce(octet_length("code"::text), 0)');
    expect(sql).toContain('coalesce(octet_length(lower("code"::text)), 0)');
    expect(readColumnSql('blob', live.get('blob'))).toBe('"blob" AS "blob"');
    expect(readColumnSql('at', live.get('at'))).toBe('"at"::text AS "at"');
    expect(readColumnSql('m', column('m', 'money'))).toBe('"m"::numeric::text AS "m"');
  });
});
