import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { assertValidMapping, loadMapping } from './load-mapping';
import type { EntityDefinition, GsiDefinition, Mapping } from './mapping-definition';
import { MappingConfigError } from '../mapping-error';

const FILE = 'shop.yaml';
const COLUMNS = '(columns: id, user_id, order_date, status)';

function base(): Mapping {
  return {
    version: 1,
    table: {
      name: 'Shop',
      partitionKey: { name: 'PK', type: 'S' },
      sortKey: { name: 'SK', type: 'S' },
      ttlAttribute: 'ExpiresAt',
      gsis: [{ name: 'GSI1', partitionKey: { name: 'GSI1PK', type: 'S' }, sortKey: { name: 'GSI1SK', type: 'S' } }],
    },
    entities: [
      {
        name: 'User',
        source: { table: 'users' },
        primaryKey: ['id'],
        columns: { id: 'bigint', email: 'text', created_at: 'timestamptz' },
        key: { pk: 'USER#{id}', sk: 'PROFILE' },
        gsis: { GSI1: { pk: 'EMAIL#{email}', sk: '{created_at:iso}' } },
      },
      {
        name: 'Order',
        source: { schema: 'public', table: 'orders' },
        primaryKey: ['id'],
        columns: { id: 'bigint', user_id: 'bigint', order_date: 'timestamptz', status: 'text' },
        key: { pk: 'USER#{user_id}', sk: 'ORDER#{order_date:iso}#{id}' },
        ttl: { column: 'order_date', offset: 'P7Y' },
      },
    ],
  };
}

const user = (m: Mapping) => m.entities[0] as EntityDefinition;
const order = (m: Mapping) => m.entities[1] as EntityDefinition;

function issuesOf(mapping: unknown): readonly string[] {
  try {
    assertValidMapping(mapping, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(MappingConfigError);
    expect((error as MappingConfigError).code).toBe('MAPPING_CONFIG_INVALID');
    expect((error as MappingConfigError).message).toBe((error as MappingConfigError).issues.join('\n'));
    return (error as MappingConfigError).issues;
  }
  return [];
}

const cases: Array<[string, (m: Mapping) => void, string[]]> = [
  [
    'unknown column in a template',
    (m) => (order(m).key!.sk = 'ORDER#{order_dat:iso}#{id}'),
    [`shop.yaml: entity "Order": key.sk template "ORDER#{order_dat:iso}#{id}" references unknown column "order_dat" ${COLUMNS}`],
  ],
  [
    'unknown formatter',
    (m) => (order(m).key!.sk = 'ORDER#{order_date:isoo}#{id}'),
    ['shop.yaml: entity "Order": key.sk template "ORDER#{order_date:isoo}#{id}" uses unknown formatter "isoo" on column "order_date" (formatters: iso, date, pad(N), lower, upper)'],
  ],
  [
    'pad without a usable width',
    (m) => (order(m).key!.sk = 'ORDER#{id:pad(0)}'),
    ['shop.yaml: entity "Order": key.sk template "ORDER#{id:pad(0)}" uses pad(0) on column "id"; the width must be 1 to 40'],
  ],
  [
    'unclosed placeholder',
    (m) => (order(m).key!.pk = 'USER#{user_id'),
    ['shop.yaml: entity "Order": key.pk template "USER#{user_id" has an unclosed "{"'],
  ],
  [
    'stray closing brace and empty placeholder',
    (m) => (order(m).key!.pk = 'USER#}{}{user_id}'),
    [
      'shop.yaml: entity "Order": key.pk template "USER#}{}{user_id}" has a "}" without a matching "{" (write "}}" for a literal brace)',
      'shop.yaml: entity "Order": key.pk template "USER#}{}{user_id}" has an empty placeholder "{}"',
    ],
  ],
  [
    'GSI the table does not have',
    (m) => (user(m).gsis = { GSI9: { pk: 'X#{id}' } }),
    ['shop.yaml: entity "User": gsis.GSI9 names no GSI of table "Shop" (GSIs: GSI1)'],
  ],
  [
    'GSI without its sort key template',
    (m) => (user(m).gsis = { GSI1: { pk: 'EMAIL#{email}' } }),
    ['shop.yaml: entity "User": gsis.GSI1 has no sk template for GSI sort key "GSI1SK"'],
  ],
  [
    'GSI without its partition key template',
    (m) => (user(m).gsis = { GSI1: { sk: '{created_at:iso}' } }),
    ['shop.yaml: entity "User": gsis.GSI1 has no pk template for GSI partition key "GSI1PK"'],
  ],
  [
    'GSI sort key template for an index without a sort key',
    (m) => delete m.table.gsis![0]!.sortKey,
    ['shop.yaml: entity "User": gsis.GSI1.sk is set but GSI "GSI1" has no sort key'],
  ],
  [
    'table GSI without a partition key attribute',
    (m) => delete (m.table.gsis![0] as Partial<GsiDefinition>).partitionKey,
    ['shop.yaml: table.gsis[0]: missing required property "partitionKey"'],
  ],
  [
    'two entities with the same literal prefixes',
    (m) =>
      m.entities.push({
        name: 'Admin',
        source: { table: 'admins' },
        primaryKey: ['admin_id'],
        columns: ['admin_id'],
        key: { pk: 'USER#{admin_id}', sk: 'PROFILE' },
      }),
    [
      'shop.yaml: entities "User" and "Admin" can produce the same key: key.pk templates "USER#{id}" and "USER#{admin_id}" and key.sk templates "PROFILE" and "PROFILE" may render the same text; give one of them a distinct literal prefix',
    ],
  ],
  [
    'a key template that can render empty',
    (m) => (order(m).key!.pk = '{status}'),
    [
      'shop.yaml: entity "Order": key.pk template "{status}" can yield an empty key: it has no literal text and column "status" may be an empty string; add a literal prefix (e.g. "STATUS#{status}") or declare a non-text column type',
    ],
  ],
  ['an empty key template', (m) => (user(m).key!.sk = ''), ['shop.yaml: entity "User": key.sk template "" is empty']],
  [
    'a renamed attribute that is reserved',
    (m) => (order(m).attributes = { rename: { status: '_ver' } }),
    ['shop.yaml: entity "Order": attributes.rename maps column "status" to reserved attribute "_ver"'],
  ],
  [
    'a column whose name is reserved',
    (m) => ((order(m).columns as Record<string, string>)._ver = 'text'),
    ['shop.yaml: entity "Order": column "_ver" would be stored as reserved attribute "_ver"; rename or exclude it'],
  ],
  [
    'a reserved entity type attribute',
    (m) => (m.entityTypeAttribute = '_ver'),
    ['shop.yaml: entityTypeAttribute "_ver" is a reserved attribute name'],
  ],
  [
    'a reserved key attribute name',
    (m) => (m.table.sortKey = { name: '_ver', type: 'S' }),
    ['shop.yaml: table: sortKey "_ver" is a reserved attribute name'],
  ],
  [
    'TTL column missing',
    (m) => (order(m).ttl = { column: 'ordered_at', offset: 'P7Y' }),
    [`shop.yaml: entity "Order": ttl.column "ordered_at" is not a declared column ${COLUMNS}`],
  ],
  [
    'TTL on a table without a TTL attribute',
    (m) => delete m.table.ttlAttribute,
    ['shop.yaml: entity "Order": ttl is set but the table has no ttlAttribute'],
  ],
  [
    'TTL offset that is not a duration, on a text column',
    (m) => (order(m).ttl = { column: 'status', offset: '7Y' }),
    [
      'shop.yaml: entity "Order": ttl.column "status" has type text; use a date, timestamp, timestamptz or integer (epoch seconds) column',
      'shop.yaml: entity "Order": ttl.offset "7Y" is not an ISO-8601 duration (e.g. "P7Y", "P30D", "PT12H")',
    ],
  ],
  [
    'an unknown column type',
    (m) => ((order(m).columns as Record<string, string>).status = 'strnig'),
    ['shop.yaml: entity "Order": columns.status has unknown type "strnig" (see docs/type-mapping.md for the types the mapping knows)'],
  ],
  [
    'a primary key column that is not declared',
    (m) => (order(m).primaryKey = ['id', 'uid']),
    [`shop.yaml: entity "Order": primaryKey names unknown column "uid" ${COLUMNS}`],
  ],
  [
    'key templates that leave out a primary key column',
    (m) => (order(m).key!.sk = 'ORDER#{order_date:iso}'),
    ['shop.yaml: entity "Order": key templates do not reference primary key column "id": two rows would map to the same item'],
  ],
  [
    'a missing sort key template',
    (m) => delete order(m).key!.sk,
    ['shop.yaml: entity "Order": key.sk is required because table "Shop" has sort key "SK"'],
  ],
  [
    'a sort key template for a table without a sort key',
    (m) => {
      delete m.table.sortKey;
      user(m).key = { pk: 'USER#{id}' };
      order(m).key!.pk = 'ORDER#{id}';
    },
    ['shop.yaml: entity "Order": key.sk is set but table "Shop" has no sort key'],
  ],
  [
    'duplicate entity names and source tables',
    (m) => m.entities.push({ ...order(m), key: { pk: 'O#{user_id}', sk: 'O#{id}' } }),
    [
      'shop.yaml: entity "Order": is declared twice; entity names must be unique',
      'shop.yaml: entities "Order" and "Order" both map source table public.orders; map each table once',
    ],
  ],
  [
    'attribute names that collide',
    (m) => (order(m).attributes = { rename: { user_id: 'GSI1PK', status: 'a.b', order_date: 'x', id: 'x' } }),
    [
      'shop.yaml: entity "Order": attribute "GSI1PK" of column "user_id" is a key attribute of the table or a GSI; rename or exclude it',
      'shop.yaml: entity "Order": columns "id" and "order_date" would both be stored as attribute "x"',
      'shop.yaml: entity "Order": attribute "a.b" of column "status" contains "." (update paths use "." to reach into maps); rename or exclude it',
    ],
  ],
  [
    'a typed (N) partition key with a composite template',
    (m) => {
      m.table.partitionKey = { name: 'PK', type: 'N' };
      order(m).key!.pk = '{user_id}';
    },
    ['shop.yaml: entity "User": key.pk template "USER#{id}" must be a single placeholder without formatter because attribute "PK" has type N'],
  ],
  [
    'include and exclude naming unknown columns',
    (m) => (order(m).attributes = { include: ['id', 'nope'], exclude: ['gone'] }),
    [
      `shop.yaml: entity "Order": attributes.include names unknown column "nope" ${COLUMNS}`,
      `shop.yaml: entity "Order": attributes.exclude names unknown column "gone" ${COLUMNS}`,
    ],
  ],
  [
    'an invalid GSI projection',
    (m) => (m.table.gsis![0]!.projection = 'SOME' as 'ALL'),
    ['shop.yaml: table: gsis[0].projection must be ALL, KEYS_ONLY or {include: [attribute, ...]}'],
  ],
  [
    'schema errors name entity and field',
    (m) => {
      (user(m) as unknown as Record<string, unknown>).keys = {};
      (order(m) as unknown as Record<string, unknown>).nulls = 'drop';
      delete (order(m).key as Partial<{ pk: string }>).pk;
    },
    [
      'shop.yaml: entity "User": unknown property "keys"',
      'shop.yaml: entity "Order": key: missing required property "pk"',
      'shop.yaml: entity "Order": nulls: must be one of "omit", "null", null',
    ],
  ],
  [
    'parent problems',
    (m) =>
      m.entities.push(
        { name: 'Line', source: { table: 'lines' }, primaryKey: ['id'], columns: ['id', 'order_id'], parent: { entity: 'Nope', mode: 'embedded', attribute: 'lines' } },
        { name: 'Note', source: { table: 'notes' }, primaryKey: ['id'], columns: ['id', 'order_id'], parent: { entity: 'Order', mode: 'embedded' } },
        {
          name: 'Tag',
          source: { table: 'tags' },
          primaryKey: ['id'],
          columns: ['id', 'uid'],
          parent: { entity: 'Order', mode: 'embedded', attribute: 'status', keyColumns: { user_id: 'uid', ghost: 'nope' } },
        },
      ),
    [
      'shop.yaml: entity "Note": parent.attribute is required for mode embedded (the parent map attribute, e.g. "items")',
      'shop.yaml: entity "Line": parent.entity "Nope" is not an entity of this mapping',
      'shop.yaml: entity "Note": parent.keyColumns does not map columns "user_id", "order_date", "id" that the key of entity "Order" needs',
      'shop.yaml: entity "Tag": parent.keyColumns names unknown column "ghost" of entity "Order"',
      'shop.yaml: entity "Tag": parent.keyColumns maps "ghost" to unknown column "nope" (columns: id, uid)',
      'shop.yaml: entity "Tag": parent.keyColumns does not map columns "order_date", "id" that the key of entity "Order" needs',
      'shop.yaml: entity "Tag": parent.attribute "status" is also the attribute of column "status" of entity "Order"',
    ],
  ],
];

describe('mapping validation', () => {
  it('accepts the base mapping', () => {
    expect(issuesOf(base())).toEqual([]);
  });

  it.each(cases)('reports %s', (_title, mutate, expected) => {
    const mapping = base();
    mutate(mapping);
    expect(issuesOf(mapping)).toEqual(expected);
  });

  it('collects every problem, not just the first', () => {
    const mapping = base();
    order(mapping).key!.sk = 'ORDER#{order_dat:iso}#{id}';
    order(mapping).ttl = { column: 'ordered_at' };
    user(mapping).gsis = { GSI1: { pk: 'EMAIL#{email:bogus}', sk: '{created_at:iso}' } };
    expect(issuesOf(mapping)).toEqual([
      'shop.yaml: entity "User": gsis.GSI1.pk template "EMAIL#{email:bogus}" uses unknown formatter "bogus" on column "email" (formatters: iso, date, pad(N), lower, upper)',
      `shop.yaml: entity "Order": key.sk template "ORDER#{order_dat:iso}#{id}" references unknown column "order_dat" ${COLUMNS}`,
      `shop.yaml: entity "Order": ttl.column "ordered_at" is not a declared column ${COLUMNS}`,
    ]);
  });
});

describe('loadMapping', () => {
  it('parses YAML and JSON', () => {
    const json = JSON.stringify(base());
    expect(loadMapping(json, 'shop.json')).toEqual(base());
    expect(loadMapping('table: {name: Shop, partitionKey: {name: PK, type: S}}\nentities:\n  - {name: A, source: {table: a}, primaryKey: [id], columns: [id], key: {pk: "A#{id}"}}\n', FILE).entities).toHaveLength(1);
  });

  it('reads a bare YAML null as the "null" mode', () => {
    const mapping = loadMapping(
      'table: {name: Shop, partitionKey: {name: PK, type: S}}\ndefaults: {nulls: null}\nentities:\n  - {name: A, source: {table: a}, primaryKey: [id], columns: [id], key: {pk: "A#{id}"}}\n',
      FILE,
    );
    expect(mapping.defaults).toEqual({ nulls: null });
  });

  it('reports YAML syntax errors with their position', () => {
    expect(() => loadMapping('table:\n  name: [Shop\n', FILE)).toThrow(MappingConfigError);
    try {
      loadMapping('table: {name: Shop}\ntable: {name: Other}\n', FILE);
    } catch (error) {
      expect((error as MappingConfigError).issues).toEqual(['shop.yaml: line 2, column 1: Map keys must be unique']);
    }
    expect.assertions(2);
  });

  it.each(['payments', 'ecommerce', 'integration-logs'])('loads the %s example', (name) => {
    const text = readFileSync(join(__dirname, '..', '..', '..', '..', 'examples', name, 'mapping.yaml'), 'utf8');
    expect(loadMapping(text, `${name}.mapping.yaml`).entities.length).toBeGreaterThan(0);
  });
});
