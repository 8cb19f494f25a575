import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { PutCommand, UpdateCommand } from '@pg2ddb/contracts';

import { compileMapping } from '../definition/compile-mapping';
import { loadMapping } from '../definition/load-mapping';
import { mapChange } from './map-change';
import { mapRow } from './map-row';
import { MappingError } from '../mapping-error';
import { VERSION, context, envelope, field } from '../__fixtures__/envelope-builder';

const compiled = compileMapping(loadMapping(readFileSync(join(__dirname, '..', '__fixtures__', 'shop.mapping.yaml'), 'utf8'), 'shop.mapping.yaml'));
const accountEntity = compiled.entity('Account')!;

// The same row, as Debezium sends it and as `pg` returns it (numeric/int8/dates read as text).
const fromDebezium = {
  tenant_id: 'acme',
  account_no: 42,
  email: 'Ann@Example.COM',
  region: null,
  opened_on: 19782,
  notes: '𝄞',
  balance: '-0.0000',
};
const fromPostgres = { ...fromDebezium, opened_on: '2024-02-29', balance: '-0.0000' };
const accountFields = [
  field.string('tenant_id'),
  field.int32('account_no'),
  field.string('email'),
  field.string('region'),
  field.date('opened_on'),
  field.string('notes'),
  field.string('balance'),
];

describe('mapRow (the reconciler path)', () => {
  it('computes exactly the item the transformer writes', () => {
    const [put] = mapChange(compiled, envelope({ op: 'r', table: 'accounts', fields: accountFields, after: fromDebezium }), context) as PutCommand[];
    const mapped = mapRow(accountEntity, fromPostgres, { version: VERSION });
    expect(mapped).toEqual({ kind: 'item', entity: 'Account', key: put!.key, item: put!.item });
    const { _ver: _version, ...withoutVersion } = put!.item;
    expect(mapRow(accountEntity, fromPostgres)).toEqual({ kind: 'item', entity: 'Account', key: put!.key, item: withoutVersion });
  });

  it('maps an embedded child to its parent key and map entry', () => {
    const lineRow = { cart_id: '5', line_no: 3, sku: 'SKU-1', qty: 2, note: 'gift' };
    const [update] = mapChange(
      compiled,
      envelope({
        op: 'c',
        table: 'cart_lines',
        fields: [field.int64('cart_id'), field.int32('line_no'), field.string('sku'), field.int32('qty'), field.string('note')],
        after: { ...lineRow, cart_id: 5 },
      }),
      context,
    ) as UpdateCommand[];
    expect(mapRow(compiled.entity('CartLine')!, lineRow, { version: VERSION })).toEqual({
      kind: 'embedded',
      entity: 'CartLine',
      parentEntity: 'Cart',
      key: update!.key,
      attribute: 'lines',
      childKey: '3',
      path: 'lines.3',
      value: update!.set['lines.3'],
    });
  });

  it('accepts column types from the caller (information_schema udt names)', () => {
    const order = compiled.entity('Order')!;
    const row = { id: '9223372036854775807', customer: 'c', placed_at: '2024-03-01 12:00:00+02', status: 'new' };
    expect(mapRow(order, row, { columnTypes: { placed_at: 'timestamptz', id: 'int8' } }).key).toEqual({
      PK: { S: 'CUSTOMER#c' },
      SK: { S: 'ORDER#2024-03-01T10:00:00.000000Z#9223372036854775807' },
    });
  });

  it.each([
    [
      'a row without a declared column',
      () => mapRow(accountEntity, { tenant_id: 'a', account_no: 1 }),
      'MAPPING_ROW_INCOMPLETE',
      'entity "Account": the row has no column "email" (select every declared column: tenant_id, account_no, email, region, opened_on, notes, balance)',
    ],
    [
      'an unknown column type',
      () => mapRow(accountEntity, fromPostgres, { columnTypes: { notes: 'tsvector' } }),
      'MAPPING_UNSUPPORTED_TYPE',
      'entity "Account", column "notes": unknown Postgres type "tsvector"',
    ],
    [
      'a timestamp read as a JS Date',
      () => mapRow(accountEntity, { ...fromPostgres, opened_on: new Date(0) }),
      'MAPPING_VALUE_INVALID',
      'entity "Account", column "opened_on": expected date as text, got an object (JS Date keeps only milliseconds: read this column as text)',
    ],
  ])('refuses %s', (_title, run, code, message) => {
    expect(run).toThrow(MappingError);
    expect(run).toThrow(expect.objectContaining({ code, message }));
  });
});
