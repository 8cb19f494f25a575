import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AttributeMap, AttributeValue } from '@pg2ddb/contracts';
import { byKey, eventually, keyOf, TestPipeline, withoutVersion } from '@pg2ddb/testing';

// The e-commerce example on the real stack: users, orders under the user, order items under the
// order, products — with the shipped schema and mapping — and its access patterns answered by
// DynamoDB queries. Every expected item below is written out by hand.
const examples = join(__dirname, '../../../examples/ecommerce');

const CABLE = '7c1a0000-0000-4000-8000-000000000001';
const CASE = '7c1a0000-0000-4000-8000-000000000002';
const SPEAKER = '7c1a0000-0000-4000-8000-000000000003';
const CHARGER = '7c1a0000-0000-4000-8000-000000000004';
const HEADPHONES = '7c1a0000-0000-4000-8000-000000000005';
const LAMP = '7c1a0000-0000-4000-8000-000000000006';
const DRONE = '7c1a0000-0000-4000-8000-000000000007';

// Exist before the connector starts: they arrive through the initial snapshot.
const snapshotRows = `
  INSERT INTO products (id, sku, name, category, price, tags, attributes, created_at, updated_at) VALUES
    ('${CABLE}',      'SKU-CABLE',   'USB-C Cable',         'Electronics', 9.50,   '{}',                     NULL,                                   '2024-01-01 00:00:00+00', '2024-01-01 00:00:00+00'),
    ('${CASE}',       'SKU-CASE',    'Phone Case',          'Electronics', 14.20,  '{accessory}',            NULL,                                   '2024-01-01 00:00:00+00', '2024-01-01 00:00:00+00'),
    ('${SPEAKER}',    'SKU-SPEAKER', 'Bluetooth Speaker',   'Electronics', 50.00,  '{audio}',                NULL,                                   '2024-01-01 00:00:00+00', '2024-01-01 00:00:00+00'),
    ('${CHARGER}',    'SKU-CHARGER', 'Fast Charger',        'Electronics', 50.01,  '{}',                     NULL,                                   '2024-01-01 00:00:00+00', '2024-01-01 00:00:00+00'),
    ('${HEADPHONES}', 'SKU-HP',      'Wireless Headphones', 'Electronics', 99.99,  '{audio,wireless,audio}', '{"color": "black", "battery_hours": 30}', '2024-01-02 08:00:00+00', '2024-01-05 08:00:00.5+00'),
    ('${LAMP}',       'SKU-LAMP',    'Desk Lamp',           'Home',        35.00,  '{}',                     NULL,                                   '2024-01-01 00:00:00+00', '2024-01-01 00:00:00+00'),
    ('${DRONE}',      'SKU-DRONE',   'Prototype Drone',     NULL,          499.00, '{}',                     NULL,                                   '2024-01-01 00:00:00+00', '2024-01-01 00:00:00+00');
  INSERT INTO users (id, email, name, status, preferences, created_at, updated_at)
    VALUES (12345, 'John@Example.com', 'John Doe', 'active', '{"newsletter": true, "language": "en"}', '2024-01-15 10:00:00+00', '2024-01-15 10:00:00+00');`;

// Changes streamed once the pipeline runs. Orders are inserted out of date order on purpose.
const streamedRows = `
  INSERT INTO users (id, email, name, status, preferences, created_at, updated_at)
    VALUES (12346, 'jane@example.com', 'Jane Roe', 'suspended', '{}', '2024-02-01 09:30:00.123456+00', '2024-02-01 09:30:00.123456+00');
  INSERT INTO orders (id, user_id, order_date, status, total_amount, shipping_address, updated_at) VALUES
    (67890, 12345, '2024-01-15 14:30:00+00',    'delivered', 128.39, '{"line1": "1 Main Street", "city": "Austin", "postcode": "78701", "country": "US"}', '2024-01-18 16:00:00+00'),
    (67891, 12345, '2024-03-02 09:00:00.25+00', 'pending',   50.00,  NULL,                                                                             '2024-03-02 09:00:00.25+00'),
    (67892, 12345, '2024-02-10 08:15:00+00',    'shipped',   28.50,  '{"line1": "1 Main Street", "city": "Austin", "postcode": "78701", "country": "US"}', '2024-02-11 07:00:00+00'),
    (67893, 12346, '2024-02-20 12:00:00+00',    'pending',   35.00,  '{"line1": "9 Rua Augusta", "city": "Lisbon", "postcode": "1100-048", "country": "PT"}', '2024-02-20 12:00:00+00');
  INSERT INTO order_items (id, order_id, product_id, quantity, unit_price) VALUES
    (1, 67890, '${HEADPHONES}', 1, 99.99),
    (2, 67890, '${CASE}',       2, 14.20),
    (3, 67891, '${SPEAKER}',    1, 50.00),
    (4, 67892, '${CABLE}',      3, 9.50),
    (5, 67893, '${LAMP}',       1, 35.00);`;

const austin: AttributeValue = { M: { line1: { S: '1 Main Street' }, city: { S: 'Austin' }, postcode: { S: '78701' }, country: { S: 'US' } } };

/** Every item the pipeline must have written once the snapshot and the streamed inserts are in. */
const expected = {
  john: {
    PK: { S: 'USER#12345' },
    SK: { S: 'PROFILE' },
    id: { N: '12345' },
    email: { S: 'John@Example.com' },
    name: { S: 'John Doe' },
    status: { S: 'active' },
    preferences: { M: { newsletter: { BOOL: true }, language: { S: 'en' } } },
    created_at: { S: '2024-01-15T10:00:00.000000Z' },
    updated_at: { S: '2024-01-15T10:00:00.000000Z' },
    EntityType: { S: 'User' },
    GSI1PK: { S: 'john@example.com' },
    GSI1SK: { S: '2024-01-15T10:00:00.000000Z' },
    GSI2PK: { S: 'USER_STATUS#active' },
    GSI2SK: { S: '2024-01-15T10:00:00.000000Z#12345' },
  },
  jane: {
    PK: { S: 'USER#12346' },
    SK: { S: 'PROFILE' },
    id: { N: '12346' },
    email: { S: 'jane@example.com' },
    name: { S: 'Jane Roe' },
    status: { S: 'suspended' },
    preferences: { M: {} },
    created_at: { S: '2024-02-01T09:30:00.123456Z' },
    updated_at: { S: '2024-02-01T09:30:00.123456Z' },
    EntityType: { S: 'User' },
    GSI1PK: { S: 'jane@example.com' },
    GSI1SK: { S: '2024-02-01T09:30:00.123456Z' },
    GSI2PK: { S: 'USER_STATUS#suspended' },
    GSI2SK: { S: '2024-02-01T09:30:00.123456Z#12346' },
  },
  order67890: {
    PK: { S: 'USER#12345' },
    SK: { S: 'ORDER#2024-01-15T14:30:00.000000Z#67890' },
    id: { N: '67890' },
    user_id: { N: '12345' },
    order_date: { S: '2024-01-15T14:30:00.000000Z' },
    status: { S: 'delivered' },
    total_amount: { N: '128.39' },
    shipping_address: austin,
    updated_at: { S: '2024-01-18T16:00:00.000000Z' },
    EntityType: { S: 'Order' },
    GSI2PK: { S: 'ORDER_STATUS#delivered' },
    GSI2SK: { S: '2024-01-15T14:30:00.000000Z#67890' },
  },
  order67891: {
    PK: { S: 'USER#12345' },
    SK: { S: 'ORDER#2024-03-02T09:00:00.250000Z#67891' },
    id: { N: '67891' },
    user_id: { N: '12345' },
    order_date: { S: '2024-03-02T09:00:00.250000Z' },
    status: { S: 'pending' },
    total_amount: { N: '50' },
    updated_at: { S: '2024-03-02T09:00:00.250000Z' },
    EntityType: { S: 'Order' },
    GSI2PK: { S: 'ORDER_STATUS#pending' },
    GSI2SK: { S: '2024-03-02T09:00:00.250000Z#67891' },
  },
  order67892: {
    PK: { S: 'USER#12345' },
    SK: { S: 'ORDER#2024-02-10T08:15:00.000000Z#67892' },
    id: { N: '67892' },
    user_id: { N: '12345' },
    order_date: { S: '2024-02-10T08:15:00.000000Z' },
    status: { S: 'shipped' },
    total_amount: { N: '28.5' },
    shipping_address: austin,
    updated_at: { S: '2024-02-11T07:00:00.000000Z' },
    EntityType: { S: 'Order' },
    GSI2PK: { S: 'ORDER_STATUS#shipped' },
    GSI2SK: { S: '2024-02-10T08:15:00.000000Z#67892' },
  },
  order67893: {
    PK: { S: 'USER#12346' },
    SK: { S: 'ORDER#2024-02-20T12:00:00.000000Z#67893' },
    id: { N: '67893' },
    user_id: { N: '12346' },
    order_date: { S: '2024-02-20T12:00:00.000000Z' },
    status: { S: 'pending' },
    total_amount: { N: '35' },
    shipping_address: { M: { line1: { S: '9 Rua Augusta' }, city: { S: 'Lisbon' }, postcode: { S: '1100-048' }, country: { S: 'PT' } } },
    updated_at: { S: '2024-02-20T12:00:00.000000Z' },
    EntityType: { S: 'Order' },
    GSI2PK: { S: 'ORDER_STATUS#pending' },
    GSI2SK: { S: '2024-02-20T12:00:00.000000Z#67893' },
  },
  item1: { PK: { S: 'ORDER#67890' }, SK: { S: 'ITEM#1' }, id: { N: '1' }, order_id: { N: '67890' }, product_id: { S: HEADPHONES }, quantity: { N: '1' }, unit_price: { N: '99.99' }, EntityType: { S: 'OrderItem' } },
  item2: { PK: { S: 'ORDER#67890' }, SK: { S: 'ITEM#2' }, id: { N: '2' }, order_id: { N: '67890' }, product_id: { S: CASE }, quantity: { N: '2' }, unit_price: { N: '14.2' }, EntityType: { S: 'OrderItem' } },
  item3: { PK: { S: 'ORDER#67891' }, SK: { S: 'ITEM#3' }, id: { N: '3' }, order_id: { N: '67891' }, product_id: { S: SPEAKER }, quantity: { N: '1' }, unit_price: { N: '50' }, EntityType: { S: 'OrderItem' } },
  item4: { PK: { S: 'ORDER#67892' }, SK: { S: 'ITEM#4' }, id: { N: '4' }, order_id: { N: '67892' }, product_id: { S: CABLE }, quantity: { N: '3' }, unit_price: { N: '9.5' }, EntityType: { S: 'OrderItem' } },
  item5: { PK: { S: 'ORDER#67893' }, SK: { S: 'ITEM#5' }, id: { N: '5' }, order_id: { N: '67893' }, product_id: { S: LAMP }, quantity: { N: '1' }, unit_price: { N: '35' }, EntityType: { S: 'OrderItem' } },
  cable: {
    PK: { S: `PRODUCT#${CABLE}` },
    SK: { S: 'METADATA' },
    id: { S: CABLE },
    sku: { S: 'SKU-CABLE' },
    name: { S: 'USB-C Cable' },
    category: { S: 'Electronics' },
    price: { N: '9.5' },
    created_at: { S: '2024-01-01T00:00:00.000000Z' },
    updated_at: { S: '2024-01-01T00:00:00.000000Z' },
    EntityType: { S: 'Product' },
    GSI3PK: { S: 'CATEGORY#electronics' },
    GSI3SK: { S: `PRICE#0000000009.5#${CABLE}` },
  },
  case: {
    PK: { S: `PRODUCT#${CASE}` },
    SK: { S: 'METADATA' },
    id: { S: CASE },
    sku: { S: 'SKU-CASE' },
    name: { S: 'Phone Case' },
    category: { S: 'Electronics' },
    price: { N: '14.2' },
    tags: { SS: ['accessory'] },
    created_at: { S: '2024-01-01T00:00:00.000000Z' },
    updated_at: { S: '2024-01-01T00:00:00.000000Z' },
    EntityType: { S: 'Product' },
    GSI3PK: { S: 'CATEGORY#electronics' },
    GSI3SK: { S: `PRICE#0000000014.2#${CASE}` },
  },
  speaker: {
    PK: { S: `PRODUCT#${SPEAKER}` },
    SK: { S: 'METADATA' },
    id: { S: SPEAKER },
    sku: { S: 'SKU-SPEAKER' },
    name: { S: 'Bluetooth Speaker' },
    category: { S: 'Electronics' },
    price: { N: '50' },
    tags: { SS: ['audio'] },
    created_at: { S: '2024-01-01T00:00:00.000000Z' },
    updated_at: { S: '2024-01-01T00:00:00.000000Z' },
    EntityType: { S: 'Product' },
    GSI3PK: { S: 'CATEGORY#electronics' },
    GSI3SK: { S: `PRICE#0000000050#${SPEAKER}` },
  },
  charger: {
    PK: { S: `PRODUCT#${CHARGER}` },
    SK: { S: 'METADATA' },
    id: { S: CHARGER },
    sku: { S: 'SKU-CHARGER' },
    name: { S: 'Fast Charger' },
    category: { S: 'Electronics' },
    price: { N: '50.01' },
    created_at: { S: '2024-01-01T00:00:00.000000Z' },
    updated_at: { S: '2024-01-01T00:00:00.000000Z' },
    EntityType: { S: 'Product' },
    GSI3PK: { S: 'CATEGORY#electronics' },
    GSI3SK: { S: `PRICE#0000000050.01#${CHARGER}` },
  },
  headphones: {
    PK: { S: `PRODUCT#${HEADPHONES}` },
    SK: { S: 'METADATA' },
    id: { S: HEADPHONES },
    sku: { S: 'SKU-HP' },
    name: { S: 'Wireless Headphones' },
    category: { S: 'Electronics' },
    price: { N: '99.99' },
    tags: { SS: ['audio', 'wireless'] },
    attributes: { M: { color: { S: 'black' }, battery_hours: { N: '30' } } },
    created_at: { S: '2024-01-02T08:00:00.000000Z' },
    updated_at: { S: '2024-01-05T08:00:00.500000Z' },
    EntityType: { S: 'Product' },
    GSI3PK: { S: 'CATEGORY#electronics' },
    GSI3SK: { S: `PRICE#0000000099.99#${HEADPHONES}` },
  },
  lamp: {
    PK: { S: `PRODUCT#${LAMP}` },
    SK: { S: 'METADATA' },
    id: { S: LAMP },
    sku: { S: 'SKU-LAMP' },
    name: { S: 'Desk Lamp' },
    category: { S: 'Home' },
    price: { N: '35' },
    created_at: { S: '2024-01-01T00:00:00.000000Z' },
    updated_at: { S: '2024-01-01T00:00:00.000000Z' },
    EntityType: { S: 'Product' },
    GSI3PK: { S: 'CATEGORY#home' },
    GSI3SK: { S: `PRICE#0000000035#${LAMP}` },
  },
  // A draft: no category, so no GSI3 attributes at all (sparse index).
  drone: {
    PK: { S: `PRODUCT#${DRONE}` },
    SK: { S: 'METADATA' },
    id: { S: DRONE },
    sku: { S: 'SKU-DRONE' },
    name: { S: 'Prototype Drone' },
    price: { N: '499' },
    created_at: { S: '2024-01-01T00:00:00.000000Z' },
    updated_at: { S: '2024-01-01T00:00:00.000000Z' },
    EntityType: { S: 'Product' },
  },
} satisfies Record<string, AttributeMap>;

describe('e-commerce: users, orders, order items and products in one table', () => {
  let pipeline: TestPipeline;

  beforeAll(async () => {
    pipeline = await TestPipeline.start({
      mapping: readFileSync(join(examples, 'mapping.yaml'), 'utf8'),
      schemaSql: readFileSync(join(examples, 'schema.sql'), 'utf8') + snapshotRows,
    });
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  async function itemsNow(): Promise<AttributeMap[]> {
    return (await pipeline.items()).map((item) => withoutVersion(item) as AttributeMap).sort(byKey);
  }

  it('carries the snapshot and the streamed inserts as exactly the expected items', async () => {
    await pipeline.query(streamedRows);
    const all = Object.values(expected).sort(byKey);
    await eventually(async () => expect(await itemsNow()).toEqual(all), { timeoutMs: 45000 });
  });

  describe('answers the access patterns with one query each', () => {
    it('user profile by id', async () => {
      const profile = await pipeline.queryItems({ KeyConditionExpression: 'PK = :pk AND SK = :sk', values: { ':pk': { S: 'USER#12345' }, ':sk': { S: 'PROFILE' } } });
      expect(profile.map(withoutVersion)).toEqual([expected.john]);
    });

    it("a user's orders, newest first", async () => {
      const orders = await pipeline.queryItems({
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
        ScanIndexForward: false,
        values: { ':pk': { S: 'USER#12345' }, ':sk': { S: 'ORDER#' } },
      });
      expect(orders.map(withoutVersion)).toEqual([expected.order67891, expected.order67892, expected.order67890]);
    });

    it("a user's orders in a date range", async () => {
      const february = await pipeline.queryItems({
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        values: { ':pk': { S: 'USER#12345' }, ':from': { S: 'ORDER#2024-02-01' }, ':to': { S: 'ORDER#2024-03-01' } },
      });
      expect(february.map((order) => order.id)).toEqual([{ N: '67892' }]);
    });

    it("an order's items", async () => {
      const items = await pipeline.queryItems({ KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)', values: { ':pk': { S: 'ORDER#67890' }, ':sk': { S: 'ITEM#' } } });
      expect(items.map(withoutVersion)).toEqual([expected.item1, expected.item2]);
    });

    it('a user by email (GSI1, lower-cased)', async () => {
      const users = await pipeline.queryItems({ IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :email', values: { ':email': { S: 'john@example.com' } } });
      expect(users.map(withoutVersion)).toEqual([expected.john]);
    });

    it('orders by status, oldest first (GSI2)', async () => {
      const pending = await pipeline.queryItems({ IndexName: 'GSI2', KeyConditionExpression: 'GSI2PK = :status', values: { ':status': { S: 'ORDER_STATUS#pending' } } });
      expect(pending.map(withoutVersion)).toEqual([expected.order67893, expected.order67891]);
      const suspended = await pipeline.queryItems({ IndexName: 'GSI2', KeyConditionExpression: 'GSI2PK = :status', values: { ':status': { S: 'USER_STATUS#suspended' } } });
      expect(suspended.map((user) => user.id)).toEqual([{ N: '12346' }]);
    });

    it('products of a category in a price range, cheapest first (GSI3, padded price)', async () => {
      // 10.00 ≤ price ≤ 50.00: '#' sorts before '.', so PRICE#0000000050#~ takes 50.00 and leaves 50.01 out.
      const range = await pipeline.queryItems({
        IndexName: 'GSI3',
        KeyConditionExpression: 'GSI3PK = :category AND GSI3SK BETWEEN :low AND :high',
        values: { ':category': { S: 'CATEGORY#electronics' }, ':low': { S: 'PRICE#0000000010' }, ':high': { S: 'PRICE#0000000050#~' } },
      });
      // GSI3 projects the keys, name and price only.
      expect(range).toEqual([
        { PK: { S: `PRODUCT#${CASE}` }, SK: { S: 'METADATA' }, GSI3PK: { S: 'CATEGORY#electronics' }, GSI3SK: { S: `PRICE#0000000014.2#${CASE}` }, name: { S: 'Phone Case' }, price: { N: '14.2' } },
        { PK: { S: `PRODUCT#${SPEAKER}` }, SK: { S: 'METADATA' }, GSI3PK: { S: 'CATEGORY#electronics' }, GSI3SK: { S: `PRICE#0000000050#${SPEAKER}` }, name: { S: 'Bluetooth Speaker' }, price: { N: '50' } },
      ]);
      const category = await pipeline.queryItems({ IndexName: 'GSI3', KeyConditionExpression: 'GSI3PK = :category', values: { ':category': { S: 'CATEGORY#electronics' } } });
      expect(category.map((product) => product.name)).toEqual([{ S: 'USB-C Cable' }, { S: 'Phone Case' }, { S: 'Bluetooth Speaker' }, { S: 'Fast Charger' }, { S: 'Wireless Headphones' }]);
    });
  });

  it('moves GSI keys on update: a new email (GSI1) and status (GSI2)', async () => {
    await pipeline.query(`UPDATE users SET email = 'John.Doe@Example.org', status = 'suspended', updated_at = '2024-03-03 10:00:00+00' WHERE id = 12345`);
    await pipeline.query(`UPDATE orders SET status = 'paid', updated_at = '2024-03-02 10:00:00+00' WHERE id = 67891`);
    await eventually(async () => {
      expect(withoutVersion(await pipeline.item(keyOf(expected.john)))).toEqual({
        ...expected.john,
        email: { S: 'John.Doe@Example.org' },
        status: { S: 'suspended' },
        updated_at: { S: '2024-03-03T10:00:00.000000Z' },
        GSI1PK: { S: 'john.doe@example.org' },
        GSI2PK: { S: 'USER_STATUS#suspended' },
      });
      expect(withoutVersion(await pipeline.item(keyOf(expected.order67891)))).toEqual({
        ...expected.order67891,
        status: { S: 'paid' },
        updated_at: { S: '2024-03-02T10:00:00.000000Z' },
        GSI2PK: { S: 'ORDER_STATUS#paid' },
      });
    });
    expect(await pipeline.queryItems({ IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :email', values: { ':email': { S: 'john@example.com' } } })).toEqual([]);
    expect((await pipeline.queryItems({ IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :email', values: { ':email': { S: 'john.doe@example.org' } } })).map((user) => user.id)).toEqual([
      { N: '12345' },
    ]);
    const pending = await pipeline.queryItems({ IndexName: 'GSI2', KeyConditionExpression: 'GSI2PK = :status', values: { ':status': { S: 'ORDER_STATUS#pending' } } });
    expect(pending.map((order) => order.id)).toEqual([{ N: '67893' }]);
  });

  it('keeps the category index sparse: a NULL category removes a product, a category adds one', async () => {
    await pipeline.query(`UPDATE products SET category = NULL WHERE id = '${CHARGER}'`);
    await pipeline.query(`UPDATE products SET category = 'Electronics' WHERE id = '${DRONE}'`);
    await eventually(async () => {
      const { category: _category, GSI3PK: _pk, GSI3SK: _sk, ...unlisted } = expected.charger;
      expect(withoutVersion(await pipeline.item(keyOf(expected.charger)))).toEqual(unlisted);
      expect(withoutVersion(await pipeline.item(keyOf(expected.drone)))).toEqual({
        ...expected.drone,
        category: { S: 'Electronics' },
        GSI3PK: { S: 'CATEGORY#electronics' },
        GSI3SK: { S: `PRICE#0000000499#${DRONE}` },
      });
    });
    const category = await pipeline.queryItems({ IndexName: 'GSI3', KeyConditionExpression: 'GSI3PK = :category', values: { ':category': { S: 'CATEGORY#electronics' } } });
    expect(category.map((product) => product.name)).toEqual([{ S: 'USB-C Cable' }, { S: 'Phone Case' }, { S: 'Bluetooth Speaker' }, { S: 'Wireless Headphones' }, { S: 'Prototype Drone' }]);
  });

  it('moves an order item to another order (child key change) and an order to a new date (parent key change)', async () => {
    await pipeline.query(`UPDATE order_items SET order_id = 67892 WHERE id = 3`);
    await pipeline.query(`UPDATE orders SET order_date = '2024-02-09 18:45:00+00' WHERE id = 67892`);
    const movedOrder = {
      ...expected.order67892,
      SK: { S: 'ORDER#2024-02-09T18:45:00.000000Z#67892' },
      order_date: { S: '2024-02-09T18:45:00.000000Z' },
      GSI2SK: { S: '2024-02-09T18:45:00.000000Z#67892' },
    };
    await eventually(async () => {
      expect(await pipeline.item(keyOf(expected.item3))).toBeUndefined();
      expect(withoutVersion(await pipeline.item({ PK: { S: 'ORDER#67892' }, SK: { S: 'ITEM#3' } }))).toEqual({ ...expected.item3, PK: { S: 'ORDER#67892' }, order_id: { N: '67892' } });
      expect(await pipeline.item(keyOf(expected.order67892))).toBeUndefined();
      expect(withoutVersion(await pipeline.item(keyOf(movedOrder)))).toEqual(movedOrder);
    });
    const items = await pipeline.queryItems({ KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)', values: { ':pk': { S: 'ORDER#67892' }, ':sk': { S: 'ITEM#' } } });
    expect(items.map((item) => item.SK)).toEqual([{ S: 'ITEM#3' }, { S: 'ITEM#4' }]);
    expect(await pipeline.queryItems({ KeyConditionExpression: 'PK = :pk', values: { ':pk': { S: 'ORDER#67891' } } })).toEqual([]);
  });

  it('applies deletes, including the items an order delete cascades to', async () => {
    await pipeline.query(`DELETE FROM orders WHERE id IN (67890, 67893)`);
    await pipeline.query(`DELETE FROM users WHERE id = 12346`);
    await eventually(async () => {
      const keys = (await pipeline.items()).sort(byKey).map((item) => `${(item.PK as { S: string }).S} ${(item.SK as { S: string }).S}`);
      expect(keys).toEqual([
        'ORDER#67892 ITEM#3',
        'ORDER#67892 ITEM#4',
        `PRODUCT#${CABLE} METADATA`,
        `PRODUCT#${CASE} METADATA`,
        `PRODUCT#${SPEAKER} METADATA`,
        `PRODUCT#${CHARGER} METADATA`,
        `PRODUCT#${HEADPHONES} METADATA`,
        `PRODUCT#${LAMP} METADATA`,
        `PRODUCT#${DRONE} METADATA`,
        'USER#12345 ORDER#2024-02-09T18:45:00.000000Z#67892',
        'USER#12345 ORDER#2024-03-02T09:00:00.250000Z#67891',
        'USER#12345 PROFILE',
      ]);
    });
  });
});
