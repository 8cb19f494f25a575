import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { PutCommand } from '@pg2ddb/contracts';

import { compileMapping, type CompiledMapping } from '../definition/compile-mapping';
import { loadMapping } from '../definition/load-mapping';
import { mapChange } from './map-change';
import { VERSION, context, envelope, field } from '../__fixtures__/envelope-builder';

// The shipped example mappings (examples/<name>/mapping.yaml) are the single source of truth:
// these tests read them from the repository root, not from a copy.
const repoRoot = join(__dirname, '..', '..', '..', '..');

function example(name: string): CompiledMapping {
  const file = `examples/${name}/mapping.yaml`;
  return compileMapping(loadMapping(readFileSync(join(repoRoot, file), 'utf8'), file), file);
}

function item(compiled: CompiledMapping, ...args: Parameters<typeof envelope>): PutCommand['item'] {
  const [command] = mapChange(compiled, envelope(...args), context);
  expect(command?.op).toBe('put');
  return (command as PutCommand).item;
}

describe('payments example', () => {
  const payments = example('payments');
  const fields = [
    field.int32('paymentid'),
    field.int32('customerid'),
    field.int32('loanid'),
    field.string('paymentamount'),
    field.zonedTimestamp('paymentdate'),
    field.string('paymentmethod'),
    field.string('paymentstatus'),
    field.string('transactionreference'),
    field.zonedTimestamp('processeddate'),
    field.zonedTimestamp('createddate'),
    field.zonedTimestamp('updateddate'),
  ];
  const row = {
    paymentid: 1001,
    customerid: 77,
    loanid: 5,
    paymentamount: '1250.00',
    paymentdate: '2024-03-01T10:00:00.123456Z',
    paymentmethod: 'ACH',
    paymentstatus: 'COMPLETED',
    transactionreference: null,
    processeddate: null,
    createddate: '2024-03-01T10:00:00Z',
    updateddate: null,
  };

  it('maps a payment under its customer with three GSIs and a 7-year TTL', () => {
    expect(item(payments, { op: 'r', table: 'payments', fields, after: row })).toEqual({
      PK: { S: 'CUSTOMER#77' },
      SK: { S: 'PAYMENT#2024-03-01T10:00:00.123456Z#1001' },
      PaymentId: { N: '1001' },
      CustomerId: { N: '77' },
      LoanId: { N: '5' },
      PaymentAmount: { N: '1250' },
      PaymentDate: { S: '2024-03-01T10:00:00.123456Z' },
      PaymentMethod: { S: 'ACH' },
      PaymentStatus: { S: 'COMPLETED' },
      CreatedDate: { S: '2024-03-01T10:00:00.000000Z' },
      _type: { S: 'Payment' },
      GSI1PK: { S: 'STATUS#COMPLETED' },
      GSI1SK: { S: '2024-03-01T10:00:00.123456Z#1001' },
      GSI2PK: { S: 'LOAN#5' },
      GSI2SK: { S: '2024-03-01T10:00:00.123456Z#1001' },
      GSI3PK: { S: 'METHOD#ACH' },
      GSI3SK: { S: '2024-03-01T10:00:00.123456Z#1001' },
      ExpiresAt: { N: '1930125600' }, // 2031-03-01T10:00:00Z
      _ver: { S: VERSION },
    });
  });

  it('expires a leap-day payment on Feb 28 seven years later', () => {
    const leap = item(payments, { op: 'c', table: 'payments', fields, after: { ...row, paymentdate: '2024-02-29T23:59:59.999999Z' } });
    expect(leap.ExpiresAt).toEqual({ N: '1930089599' }); // 2031-02-28T23:59:59Z
  });

  it('needs REPLICA IDENTITY FULL for deletes (the sort key uses paymentdate)', () => {
    const before = { ...Object.fromEntries(Object.keys(row).map((c) => [c, null])), paymentid: 1001 };
    expect(() => mapChange(payments, envelope({ op: 'd', table: 'payments', fields, before }), context)).toThrow(
      expect.objectContaining({
        code: 'MAPPING_DELETE_KEY_UNKNOWN',
        message:
          'entity "Payment": cannot compute the key of the deleted row: column "customerid" (used by key.pk template "CUSTOMER#{customerid}") is not in the event\'s "before", which with REPLICA IDENTITY DEFAULT holds only primary key columns; run ALTER TABLE public.payments REPLICA IDENTITY FULL, or build the key templates from primary key columns only',
      }),
    );
  });
});

describe('e-commerce example', () => {
  const shop = example('ecommerce');

  it('stores the user profile, findable by email and status', () => {
    const fields = [field.int64('id'), field.string('email'), field.string('name'), field.enum('status'), field.json('preferences'), field.zonedTimestamp('created_at'), field.zonedTimestamp('updated_at')];
    const after = {
      id: 12345,
      email: 'John@Example.com',
      name: 'John Doe',
      status: 'active',
      preferences: '{"newsletter":true,"limit":12345678901234567890}',
      created_at: '2024-01-15T10:00:00Z',
      updated_at: '2024-01-16T10:00:00.5Z',
    };
    expect(item(shop, { op: 'c', table: 'users', fields, after })).toEqual({
      PK: { S: 'USER#12345' },
      SK: { S: 'PROFILE' },
      id: { N: '12345' },
      email: { S: 'John@Example.com' },
      name: { S: 'John Doe' },
      status: { S: 'active' },
      preferences: { M: { newsletter: { BOOL: true }, limit: { N: '12345678901234567890' } } },
      created_at: { S: '2024-01-15T10:00:00.000000Z' },
      updated_at: { S: '2024-01-16T10:00:00.500000Z' },
      EntityType: { S: 'User' },
      GSI1PK: { S: 'john@example.com' },
      GSI1SK: { S: '2024-01-15T10:00:00.000000Z' },
      GSI2PK: { S: 'USER_STATUS#active' },
      GSI2SK: { S: '2024-01-15T10:00:00.000000Z#12345' },
      _ver: { S: VERSION },
    });
  });

  it('puts orders under the user and order items under the order', () => {
    const orderFields = [field.int64('id'), field.int64('user_id'), field.zonedTimestamp('order_date'), field.enum('status'), field.string('total_amount'), field.json('shipping_address'), field.zonedTimestamp('updated_at')];
    const order = item(shop, {
      op: 'c',
      table: 'orders',
      fields: orderFields,
      after: { id: 67890, user_id: 12345, order_date: '2024-01-15T14:30:00Z', status: 'delivered', total_amount: '156.78', shipping_address: null, updated_at: '2024-01-15T14:30:00Z' },
    });
    expect([order.PK, order.SK, order.GSI2PK, order.GSI2SK, order.total_amount, order.shipping_address]).toEqual([
      { S: 'USER#12345' },
      { S: 'ORDER#2024-01-15T14:30:00.000000Z#67890' },
      { S: 'ORDER_STATUS#delivered' },
      { S: '2024-01-15T14:30:00.000000Z#67890' },
      { N: '156.78' },
      undefined,
    ]);
    const itemFields = [field.int64('id'), field.int64('order_id'), field.uuid('product_id'), field.int32('quantity'), field.string('unit_price')];
    const orderItem = item(shop, {
      op: 'c',
      table: 'order_items',
      fields: itemFields,
      after: { id: 1, order_id: 67890, product_id: '0b7e4a52-1c1d-4f7e-9a53-6f0b1c2d3e4f', quantity: 1, unit_price: '99.90' },
    });
    expect([orderItem.PK, orderItem.SK, orderItem.EntityType, orderItem.unit_price]).toEqual([{ S: 'ORDER#67890' }, { S: 'ITEM#1' }, { S: 'OrderItem' }, { N: '99.9' }]);
  });

  it('sorts products by price inside a category with a padded string key', () => {
    const fields = [
      field.uuid('id'),
      field.string('sku'),
      field.string('name'),
      field.string('category'),
      field.string('price'),
      field.array('tags', field.string('t')),
      field.json('attributes'),
      field.zonedTimestamp('created_at'),
      field.zonedTimestamp('updated_at'),
    ];
    const product = (id: string, price: string, category: string | null = 'Electronics') =>
      item(shop, {
        op: 'c',
        table: 'products',
        fields,
        after: { id, sku: id, name: id, category, price, tags: ['audio', 'audio', 'wireless'], attributes: null, created_at: '2024-01-01T00:00:00Z', updated_at: '2024-01-01T00:00:00Z' },
      });
    const keys = [product('P1', '99.99'), product('P2', '1000.00'), product('P3', '5.50'), product('P4', '5.00')].map((p) => (p.GSI3SK as { S: string }).S);
    expect(keys).toEqual(['PRICE#0000000099.99#P1', 'PRICE#0000001000#P2', 'PRICE#0000000005.5#P3', 'PRICE#0000000005#P4']);
    expect([...keys].sort()).toEqual(['PRICE#0000000005#P4', 'PRICE#0000000005.5#P3', 'PRICE#0000000099.99#P1', 'PRICE#0000001000#P2']);
    const first = product('P1', '99.99');
    expect([first.GSI3PK, first.tags]).toEqual([{ S: 'CATEGORY#electronics' }, { SS: ['audio', 'wireless'] }]);
    // A draft (no category) stays out of the category index.
    const draft = product('P5', '1.00', null);
    expect([draft.GSI3PK, draft.GSI3SK, draft.category]).toEqual([undefined, undefined, undefined]);
  });
});

describe('integration logs example', () => {
  const logs = example('integration-logs');
  const fields = [
    field.int64('log_id'),
    field.string('service_name'),
    field.int32('application_id'),
    field.uuid('correlation_id'),
    field.zonedTimestamp('log_timestamp'),
    field.string('http_method'),
    field.string('endpoint'),
    field.int16('http_status'),
    field.boolean('is_success'),
    field.int32('duration_ms'),
    field.json('request_payload'),
    field.json('response_payload'),
    field.string('error_message'),
  ];

  it('partitions by service and day and indexes by app, correlation id and errors', () => {
    const after = {
      log_id: 998877,
      service_name: 'billing-api',
      application_id: 12,
      correlation_id: null,
      log_timestamp: '2024-03-01T23:59:59.999999Z',
      http_method: 'POST',
      endpoint: '/v1/charges',
      http_status: 502,
      is_success: false,
      duration_ms: 1200,
      request_payload: '{"amount":12.50}',
      response_payload: null,
      error_message: '',
    };
    const log = item(logs, { op: 'c', table: 'integration_logs', fields, after });
    expect(log).toMatchObject({
      PK: { S: 'billing-api-2024-03-01' },
      SK: { S: '2024-03-01T23:59:59.999999Z#998877' },
      GSI1PK: { S: 'APP#12' },
      GSI1SK: { S: '2024-03-01T23:59:59.999999Z#998877' },
      GSI3PK: { S: 'ERROR#false#2024-03-01' },
      GSI3SK: { S: '2024-03-01T23:59:59.999999Z#998877' },
      request_payload: { M: { amount: { N: '12.5' } } },
      error_message: { S: '' },
      ExpiresAt: { N: '1717113599' }, // 2024-05-30T23:59:59Z: 90 days later, whole seconds
    });
    // No correlation id: the log stays out of GSI2 (sparse).
    expect(log.GSI2PK).toBeUndefined();
    expect(log.GSI2SK).toBeUndefined();
  });
});
