import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { DebeziumEnvelope, Row, WriteCommand } from '@pg2ddb/contracts';

import { compileMapping } from '../definition/compile-mapping';
import { loadMapping } from '../definition/load-mapping';
import { parseJsonLossless } from '../values/lossless-json';
import { mapChange } from './map-change';
import { MappingError } from '../mapping-error';
import { VERSION, context, envelope, field, source, type EventSpec } from '../__fixtures__/envelope-builder';

const compiled = compileMapping(loadMapping(readFileSync(join(__dirname, '..', '__fixtures__', 'shop.mapping.yaml'), 'utf8'), 'shop.mapping.yaml'));
const P = '__debezium_unavailable_value';
const ver = { _ver: { S: VERSION } };
const base = { v: 1 as const, table: 'Shop', version: VERSION, source };

const accountFields = [
  field.string('tenant_id'),
  field.int32('account_no'),
  field.string('email'),
  field.string('region'),
  field.date('opened_on'),
  field.string('notes'),
  field.string('balance'),
];
const account: Row = {
  tenant_id: 'acme',
  account_no: 42,
  email: 'Ann@Example.COM',
  region: null,
  opened_on: 19782, // 2024-02-29
  notes: 'hello 😀 𝄞',
  balance: '12345678901234567890.1200',
};
const accountKey = { PK: { S: 'TENANT#acme' }, SK: { S: 'ACCOUNT#00000042' } };
const accountAttributes = {
  tenant_id: { S: 'acme' },
  account_no: { N: '42' },
  email: { S: 'Ann@Example.COM' },
  opened_on: { S: '2024-02-29' },
  notes: { S: 'hello 😀 𝄞' },
  balance: { N: '12345678901234567890.12' },
  _type: { S: 'Account' },
  GSI1PK: { S: 'EMAIL#ann@example.com' },
  GSI1SK: { S: '2024-02-29' },
  // 2024-02-29 + P7Y = 2031-02-28 (no Feb 29 in 2031), midnight UTC.
  ExpiresAt: { N: '1930003200' },
};

const orderFields = [field.int64('id'), field.string('customer'), field.zonedTimestamp('placed_at'), field.string('status')];
const order: Row = { id: 7, customer: 'c-1', placed_at: '2024-03-01T10:00:00.123456Z', status: 'new' };
const orderKey = { PK: { S: 'CUSTOMER#c-1' }, SK: { S: 'ORDER#2024-03-01T10:00:00.123456Z#7' } };
const orderItem = {
  ...orderKey,
  id: { N: '7' },
  customer: { S: 'c-1' },
  placed_at: { S: '2024-03-01T10:00:00.123456Z' },
  status: { S: 'new' },
  _type: { S: 'Order' },
  ...ver,
};

const lineFields = [field.int64('cart_id'), field.int32('line_no'), field.string('sku'), field.int32('qty'), field.string('note')];
const line: Row = { cart_id: 5, line_no: 3, sku: 'SKU-1', qty: 2, note: null };

const accountEvent = (spec: Omit<EventSpec, 'table' | 'fields'>) => envelope({ table: 'accounts', fields: accountFields, ...spec });
const orderEvent = (spec: Omit<EventSpec, 'table' | 'fields'>) => envelope({ table: 'orders', fields: orderFields, ...spec });
const lineEvent = (spec: Omit<EventSpec, 'table' | 'fields'>) => envelope({ table: 'cart_lines', fields: lineFields, ...spec });
const keyOnly = (row: Row, columns: string[]): Row => Object.fromEntries(Object.keys(row).map((c) => [c, columns.includes(c) ? row[c] : null]));

function failure(event: DebeziumEnvelope): MappingError {
  try {
    mapChange(compiled, event, context);
  } catch (error) {
    expect(error).toBeInstanceOf(MappingError);
    return error as MappingError;
  }
  throw new Error('expected mapChange to throw');
}

describe('mapChange: creates, snapshot reads and updates', () => {
  it.each(['c', 'r', 'u'] as const)('op %s with all columns known → put of the whole item', (op) => {
    const commands = mapChange(compiled, accountEvent({ op, after: account }), context);
    expect(commands).toEqual<WriteCommand[]>([
      { ...base, entity: 'Account', key: accountKey, op: 'put', item: { ...accountKey, ...accountAttributes, ...ver } },
    ]);
  });

  it('leaves the item out of a GSI whose key column is NULL or renders empty (sparse)', () => {
    const [command] = mapChange(compiled, accountEvent({ op: 'c', after: { ...account, email: null, region: '' } }), context);
    expect(command).toMatchObject({ op: 'put' });
    const item = (command as { item: Record<string, unknown> }).item;
    expect(Object.keys(item).filter((name) => name.startsWith('GSI'))).toEqual([]);
    const [withRegion] = mapChange(compiled, accountEvent({ op: 'c', after: { ...account, region: 'eu-west-1' } }), context);
    expect((withRegion as { item: Record<string, unknown> }).item.GSI2PK).toEqual({ S: 'eu-west-1' });
  });

  it('omits the TTL attribute when its column is NULL', () => {
    const [command] = mapChange(compiled, accountEvent({ op: 'c', after: { ...account, opened_on: null } }), context);
    const item = (command as { item: Record<string, unknown> }).item;
    expect(item.ExpiresAt).toBeUndefined();
    expect(item.GSI1PK).toBeUndefined(); // GSI1's sort key column is NULL too
  });

  it('keeps int64 and numeric exact from a losslessly parsed event', () => {
    const text = JSON.stringify(orderEvent({ op: 'c', after: order })).replace('"id":7', '"id":9223372036854775807');
    const [command] = mapChange(compiled, parseJsonLossless(text) as DebeziumEnvelope, context);
    expect(command!.key).toEqual({ PK: { S: 'CUSTOMER#c-1' }, SK: { S: 'ORDER#2024-03-01T10:00:00.123456Z#9223372036854775807' } });
    expect((command as { item: Record<string, unknown> }).item.id).toEqual({ N: '9223372036854775807' });
  });

  it('stores a text array as a string set and drops an empty one', () => {
    const tokenFields = [field.uuid('code'), field.array('scopes', field.string('x'))];
    const event = (scopes: string[]) =>
      envelope({ schema: 'auth', table: 'tokens', fields: tokenFields, op: 'c', after: { code: '1b4e28ba-2fa1-11d2-883f-0016d3cca427', scopes } });
    expect((mapChange(compiled, event(['read', 'write', 'read']), context)[0] as { item: Record<string, unknown> }).item.scopes).toEqual({
      SS: ['read', 'write'],
    });
    expect((mapChange(compiled, event([]), context)[0] as { item: Record<string, unknown> }).item.scopes).toBeUndefined();
  });
});

describe('mapChange: deletes', () => {
  it('deletes by the key computed from "before" (primary key columns are enough)', () => {
    const before = keyOnly(account, ['tenant_id', 'account_no']);
    expect(mapChange(compiled, accountEvent({ op: 'd', before }), context)).toEqual([{ ...base, entity: 'Account', key: accountKey, op: 'delete' }]);
  });

  it('deletes when REPLICA IDENTITY FULL gives every column', () => {
    expect(mapChange(compiled, orderEvent({ op: 'd', before: order }), context)).toEqual([{ ...base, entity: 'Order', key: orderKey, op: 'delete' }]);
  });

  it('refuses a delete whose key needs a column REPLICA IDENTITY DEFAULT does not send', () => {
    const error = failure(orderEvent({ op: 'd', before: keyOnly(order, ['id']) }));
    expect(error.code).toBe('MAPPING_DELETE_KEY_UNKNOWN');
    expect(error.message).toBe(
      'entity "Order": cannot compute the key of the deleted row: column "customer" (used by key.pk template "CUSTOMER#{customer}") is not in the event\'s "before", which with REPLICA IDENTITY DEFAULT holds only primary key columns; run ALTER TABLE public.orders REPLICA IDENTITY FULL, or build the key templates from primary key columns only',
    );
  });
});

describe('mapChange: key changes', () => {
  it('puts in place when the key did not change', () => {
    const commands = mapChange(compiled, orderEvent({ op: 'u', before: order, after: { ...order, status: 'paid' } }), context);
    expect(commands).toEqual([{ ...base, entity: 'Order', key: orderKey, op: 'put', item: { ...orderItem, status: { S: 'paid' } } }]);
  });

  it('deletes the old item and puts the new one when a key column changed', () => {
    const after = { ...order, placed_at: '2024-03-02T08:00:00Z' };
    const newKey = { PK: { S: 'CUSTOMER#c-1' }, SK: { S: 'ORDER#2024-03-02T08:00:00.000000Z#7' } };
    expect(mapChange(compiled, orderEvent({ op: 'u', before: order, after }), context)).toEqual([
      { ...base, entity: 'Order', key: orderKey, op: 'delete' },
      { ...base, entity: 'Order', key: newKey, op: 'put', item: { ...orderItem, ...newKey, placed_at: { S: '2024-03-02T08:00:00.000000Z' } } },
    ]);
  });

  it('refuses an update when the old key cannot be known', () => {
    const error = failure(orderEvent({ op: 'u', before: null, after: order }));
    expect(error.code).toBe('MAPPING_UPDATE_KEY_UNKNOWN');
    expect(error.message).toBe(
      'entity "Order": cannot tell whether the update moved the item: column "customer" (used by key.pk template "CUSTOMER#{customer}") has no old value in the event (REPLICA IDENTITY DEFAULT sends no "before"); run ALTER TABLE public.orders REPLICA IDENTITY FULL, or build the key templates from primary key columns only',
    );
  });

  it('refuses a key change that would rebuild the item without an unavailable value', () => {
    const error = failure(orderEvent({ op: 'u', before: { ...order, status: P }, after: { ...order, customer: 'c-2', status: P } }));
    expect(error.code).toBe('MAPPING_VALUE_UNAVAILABLE');
    expect(error.message).toBe(
      'entity "Order": the update moves the item to a new key, but column "status" holds Debezium\'s unavailable-value placeholder (unchanged TOAST value), so the item cannot be rebuilt; set REPLICA IDENTITY FULL on public.orders',
    );
  });
});

describe('mapChange: unchanged TOAST values (the unavailable-value placeholder)', () => {
  it('updates the known attributes and leaves that one untouched', () => {
    const commands = mapChange(compiled, accountEvent({ op: 'u', after: { ...account, notes: P } }), context);
    const { notes: _untouched, ...set } = accountAttributes;
    expect(commands).toEqual([{ ...base, entity: 'Account', key: accountKey, op: 'update', set: { ...set, ...ver }, remove: ['region', 'GSI2PK'], partial: true }]);
  });

  it('uses the old value when REPLICA IDENTITY FULL provides it', () => {
    const commands = mapChange(compiled, accountEvent({ op: 'u', before: account, after: { ...account, notes: P } }), context);
    expect(commands).toEqual([{ ...base, entity: 'Account', key: accountKey, op: 'put', item: { ...accountKey, ...accountAttributes, ...ver } }]);
  });

  it('refuses a placeholder in a key column', () => {
    const error = failure(accountEvent({ op: 'u', after: { ...account, tenant_id: P } }));
    expect(error.code).toBe('MAPPING_KEY_VALUE_UNAVAILABLE');
    expect(error.message).toBe(
      'entity "Account": key attribute "PK" needs column "tenant_id", which holds Debezium\'s unavailable-value placeholder (unchanged TOAST value); set REPLICA IDENTITY FULL on public.accounts or keep large columns out of key templates',
    );
  });
});

describe('mapChange: embedded children', () => {
  const cartKey = { PK: { S: 'CART#5' }, SK: { S: 'CART' } };

  it('sets the child as a map entry of the parent item', () => {
    expect(mapChange(compiled, lineEvent({ op: 'c', after: line }), context)).toEqual([
      {
        ...base,
        entity: 'CartLine',
        key: cartKey,
        op: 'update',
        set: { 'lines.3': { M: { cart_id: { N: '5' }, line_no: { N: '3' }, sku: { S: 'SKU-1' }, qty: { N: '2' }, ...ver } } },
        remove: [],
        guard: 'lines.3',
      },
    ]);
  });

  it('removes the map entry on delete (the composite primary key holds the parent key)', () => {
    const before = keyOnly(line, ['cart_id', 'line_no']);
    expect(mapChange(compiled, lineEvent({ op: 'd', before }), context)).toEqual([
      { ...base, entity: 'CartLine', key: cartKey, op: 'update', set: {}, remove: ['lines.3'], guard: 'lines.3' },
    ]);
  });

  it('moves the entry when the child changes parent', () => {
    const commands = mapChange(compiled, lineEvent({ op: 'u', before: line, after: { ...line, cart_id: 6 } }), context);
    expect(commands.map((c) => [c.op, c.key.PK, c.op === 'update' ? [Object.keys(c.set), c.remove] : []])).toEqual([
      ['update', { S: 'CART#5' }, [[], ['lines.3']]],
      ['update', { S: 'CART#6' }, [['lines.3'], []]],
    ]);
  });

  it('writes the parent with update, so the children map survives', () => {
    const commands = mapChange(compiled, envelope({ table: 'carts', fields: [field.int64('id'), field.string('owner')], op: 'c', after: { id: 5, owner: null } }), context);
    expect(commands).toEqual([
      { ...base, entity: 'Cart', key: cartKey, op: 'update', set: { id: { N: '5' }, _type: { S: 'Cart' }, ...ver }, remove: ['owner'] },
    ]);
  });

  it('refuses a placeholder in an embedded child', () => {
    const error = failure(lineEvent({ op: 'u', after: { ...line, note: P } }));
    expect(error.code).toBe('MAPPING_VALUE_UNAVAILABLE');
    expect(error.message).toBe(
      'entity "CartLine": column "note" holds Debezium\'s unavailable-value placeholder (unchanged TOAST value), and an embedded child is written whole; set REPLICA IDENTITY FULL on public.cart_lines',
    );
  });
});

describe('mapChange: events it does not map', () => {
  it('ignores logical decoding messages', () => {
    expect(mapChange(compiled, { payload: { op: 'm', before: null, after: null, source: { ts_ms: 0, db: 'shop', schema: '', table: '' } } }, context)).toEqual([]);
  });

  it.each<[string, () => DebeziumEnvelope, string, string]>([
    [
      'truncate',
      () => accountEvent({ op: 't' }),
      'MAPPING_TRUNCATE_UNSUPPORTED',
      'truncate of public.accounts cannot be mapped: one event cannot enumerate the items to delete; delete the table\'s items and re-snapshot it (incremental snapshot), then discard this dead letter',
    ],
    ['an unmapped table', () => envelope({ table: 'audit', fields: [], op: 'c', after: {} }), 'MAPPING_UNMAPPED_TABLE', 'no entity of the mapping maps source table public.audit'],
    [
      'an event without schema',
      () => ({ payload: accountEvent({ op: 'c', after: account }).payload }),
      'MAPPING_SCHEMA_MISSING',
      'the event for public.accounts carries no schema for "after"; run the connector\'s JsonConverter with schemas.enable=true',
    ],
    ['an unknown op', () => ({ ...accountEvent({ op: 'c', after: account }), payload: { ...accountEvent({ op: 'c', after: account }).payload, op: 'x' as 'c' } }), 'MAPPING_ENVELOPE_INVALID', 'not a Debezium change event: unknown op "x" in an event for public.accounts'],
    ['a delete without before', () => accountEvent({ op: 'd' }), 'MAPPING_ENVELOPE_INVALID', 'not a Debezium change event: delete event for public.accounts has no "before"'],
    ['no payload', () => ({}) as DebeziumEnvelope, 'MAPPING_ENVELOPE_INVALID', 'not a Debezium change event: the event has no payload'],
    [
      'a NULL key column',
      () => orderEvent({ op: 'c', after: { ...order, customer: null } }),
      'MAPPING_EMPTY_KEY',
      'entity "Order": cannot build key attribute "PK": column "customer" is NULL (template "CUSTOMER#{customer}")',
    ],
    [
      'a key that renders empty',
      () => envelope({ schema: 'auth', table: 'tokens', fields: [field.uuid('code'), field.array('scopes', field.string('x'))], op: 'c', after: { code: '', scopes: null } }),
      'MAPPING_EMPTY_KEY',
      'entity "Token": key attribute "PK" would be empty (template "{code}")',
    ],
    [
      'a declared column missing from the event',
      () => orderEvent({ op: 'c', after: { id: 1, customer: 'c', placed_at: '2024-01-01T00:00:00Z' } }),
      'MAPPING_ROW_INCOMPLETE',
      'entity "Order": the change event has no column "status"; the mapping declares it but public.orders does not send it',
    ],
    [
      'an unmappable value',
      () => accountEvent({ op: 'c', after: { ...account, balance: '1E+126' } }),
      'MAPPING_NUMBER_OUT_OF_RANGE',
      'entity "Account", column "balance": 1E+126 is outside DynamoDB\'s number range (magnitude 1E-130 to 9.9999999999999999999999999999999999999E+125)',
    ],
  ])('refuses %s', (_title, event, code, message) => {
    const error = failure(event());
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
    expect(error.retriable).toBe(false);
  });

  it('lists the source tables to subscribe to', () => {
    expect(compiled.sourceTables()).toEqual([
      { schema: 'public', table: 'accounts' },
      { schema: 'public', table: 'orders' },
      { schema: 'auth', table: 'tokens' },
      { schema: 'public', table: 'carts' },
      { schema: 'public', table: 'cart_lines' },
    ]);
    expect(compiled.entityFor('auth', 'tokens')?.name).toBe('Token');
    expect(compiled.entityFor('public', 'tokens')).toBeUndefined();
  });
});
