import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileMapping, loadMapping } from '@pg2ddb/mapping';

import { entityView, expectedItem, keyIdentity, keyOf, sourceKeyOf, sourceKeyOfItem } from './entity-view';

const mapping = compileMapping(loadMapping(readFileSync(join(__dirname, '../../../examples/payments/mapping.yaml'), 'utf8'), 'payments'), 'payments');
const entity = mapping.entity('Payment')!;
const types = new Map(entity.columns.map((column) => [column, 'text']));
const view = entityView(mapping, entity, types);
// A row exactly as the keyset reader returns it: every value as PostgreSQL's text.
const row = {
  paymentid: '7',
  customerid: '42',
  loanid: '9',
  paymentamount: '1234.50',
  paymentdate: '2024-02-29 12:34:56.123456+00',
  paymentmethod: 'CARD',
  paymentstatus: 'PENDING',
  transactionreference: null,
  processeddate: null,
  createddate: '2024-02-29 12:00:00+00',
  updateddate: null,
};

describe('entityView (payments)', () => {
  it('knows the table key and where the primary key lives in the item', () => {
    expect(view.keyNames).toEqual(['PK', 'SK']);
    expect([...view.pkAttributes!]).toEqual([['paymentid', 'PaymentId']]);
    expect(view.columnTypes).toEqual({}); // every column is declared in the mapping
  });

  it('maps a text row to the item the transformer writes, and finds the row again from the item', () => {
    const mapped = expectedItem(view, row);
    expect(mapped.key).toEqual({ PK: { S: 'CUSTOMER#42' }, SK: { S: 'PAYMENT#2024-02-29T12:34:56.123456Z#7' } });
    expect(mapped.item).toMatchObject({ PaymentAmount: { N: '1234.5' }, GSI2PK: { S: 'LOAN#9' }, _type: { S: 'Payment' } });
    expect(mapped.item._ver).toBeUndefined();
    expect(expectedItem(view, row, 'v1').item._ver).toEqual({ S: 'v1' });
    expect(sourceKeyOf(view, row)).toEqual({ paymentid: '7' });
    expect(sourceKeyOfItem(view, mapped.item)).toEqual({ paymentid: '7' });
    expect(keyOf(view, mapped.item)).toEqual(mapped.key);
    expect(keyIdentity(view, keyOf(view, mapped.item))).toBe(keyIdentity(view, mapped.key));
  });

  it('cannot name the row of an item without the primary-key attribute', () => {
    expect(sourceKeyOfItem(view, { PK: { S: 'x' }, SK: { S: 'y' } })).toBeUndefined();
  });
});
