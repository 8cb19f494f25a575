import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { AttributeValue } from '@pg2ddb/contracts';

import { decodeAttribute } from '../values/attribute-decoder';
import { encodeAttribute, type EncodeOptions } from '../values/attribute-encoder';
import { parseColumnType } from '../definition/column-type';
import { compileMapping } from '../definition/compile-mapping';
import { compareItemWithRow } from './compare-item-row';
import { compileInverse, itemToRow } from './inverse-mapping';
import { loadMapping } from '../definition/load-mapping';
import { mapRow } from './map-row';
import type { Mapping } from '../definition/mapping-definition';
import { MappingError } from '../mapping-error';
import { toPgParam } from '../values/pg-param';
import { decodePostgresValue } from '../values/postgres-decoder';
import matrix from '../__fixtures__/type-matrix.json';

interface MatrixCase {
  name: string;
  postgres?: { type: string; raw: unknown };
  options?: Partial<EncodeOptions>;
  expected?: AttributeValue | null;
  error?: unknown;
}

const where = { entity: 'T', column: 'c' };
const defaults: EncodeOptions = { nulls: 'omit', json: 'map', arrays: 'list' };
// Cases whose encoding is lossy by design: the attribute round-trips, the Postgres value does not.
const LOSSY = new Set(['text array as a string set, deduplicated', 'numeric array as a number set', 'empty array as a set is omitted']);
const roundTrips = (matrix.cases as MatrixCase[]).filter((c) => c.postgres && !c.error && !(c.postgres.raw && typeof c.postgres.raw === 'object' && '$date' in c.postgres.raw));

describe('type matrix: row → item → row (the way back)', () => {
  it.each(roundTrips.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const type = parseColumnType(c.postgres!.type)!;
    const options = { ...defaults, ...c.options };
    const original = decodePostgresValue(c.postgres!.raw, type, where);
    const attribute = encodeAttribute(original, options, where);
    expect(attribute ?? null).toEqual(c.expected);

    const back = decodeAttribute(attribute, type, options, where);
    // What the writer binds, read back as Postgres would return it, is the same value again.
    const param = toPgParam(back, type);
    const reread = decodePostgresValue(param, type, where);
    expect(encodeAttribute(reread, options, where) ?? null).toEqual(c.expected);
    if (type.family === 'json') {
      // json text is compared as the item it maps to (whitespace and key order are not data in jsonb).
      expect(encodeAttribute(back, options, where) ?? null).toEqual(c.expected);
    } else if (LOSSY.has(c.name)) {
      expect(encodeAttribute(back, options, where) ?? null).toEqual(c.expected);
    } else {
      expect(reread).toEqual(original);
      expect(back).toEqual(original);
    }
  });

  it('covers every type family the matrix has', () => {
    const families = new Set(roundTrips.map((c) => parseColumnType(c.postgres!.type)!.family));
    expect([...families].sort()).toEqual(
      ['bit', 'boolean', 'bytes', 'date', 'enum', 'float', 'hstore', 'integer', 'interval', 'json', 'numeric', 'range', 'text', 'time', 'timestamp', 'timestamptz', 'timetz', 'tstzrange', 'uuid'].sort(),
    );
  });
});

describe('toPgParam: Postgres input text', () => {
  const param = (type: string, value: AttributeValue) => {
    const t = parseColumnType(type)!;
    return toPgParam(decodeAttribute(value, t, defaults, where), t);
  };
  it.each([
    ['timestamptz', { S: '2024-03-01T10:00:00.123456Z' }, '2024-03-01 10:00:00.123456+00'],
    ['timestamp', { S: '2024-03-01T10:00:00.123456Z' }, '2024-03-01 10:00:00.123456'],
    ['timestamp', { S: '+10000-01-01T00:00:00.000000Z' }, '10000-01-01 00:00:00.000000'],
    ['date', { S: '-0043-03-15' }, '0044-03-15 BC'],
    ['timestamptz', { S: '-0043-03-15T00:00:00.000000Z' }, '0044-03-15 00:00:00.000000+00 BC'],
    ['date', { S: 'infinity' }, 'infinity'],
    ['timetz', { S: '10:15:30.123456Z' }, '10:15:30.123456+00'],
    ['bytea', { B: '3q2+7w==' }, '\\xdeadbeef'],
    ['numeric(12,2)', { N: '1234.5' }, '1234.5'],
    ['boolean', { BOOL: false }, 'false'],
    ['jsonb', { M: { a: { N: '12345678901234567890123456789' }, b: { L: [{ NULL: true }, { S: 'x"y' }] } } }, '{"a":12345678901234567890123456789,"b":[null,"x\\"y"]}'],
    ['text[]', { L: [{ S: 'a,b' }, { NULL: true }] }, ['a,b', null]],
    ['integer[][]', { L: [{ L: [{ N: '1' }, { N: '2' }] }, { L: [{ N: '3' }, { NULL: true }] }] }, [['1', '2'], ['3', null]]],
    ['jsonb[]', { L: [{ L: [{ N: '1' }] }] }, ['[1]']],
    ['tstzrange', { S: '["2024-03-01 10:00:00+00",infinity)' }, '["2024-03-01 10:00:00+00",infinity)'],
    ['int8range', { S: '[1,10)' }, '[1,10)'],
    ['bit(4)', { S: '0101' }, '0101'],
    ['ltree', { S: 'Top.Science' }, 'Top.Science'],
    ['hstore', { M: { a: { S: '1' }, b: { NULL: true }, 'c"d': { S: 'x\\y' } } }, '"a"=>"1", "b"=>NULL, "c\\"d"=>"x\\\\y"'],
  ] as Array<[string, AttributeValue, unknown]>)('%s %j → %j', (type, value, expected) => {
    expect(param(type, value)).toEqual(expected);
  });

  it.each([
    ['integer', { S: '1' }, 'entity "T", column "c": attribute is S; a integer column needs N'],
    ['integer', { N: '1.5' }, 'entity "T", column "c": 1.5 is not an integer; a integer column needs one'],
    ['timestamptz', { S: 'yesterday' }, 'entity "T", column "c": "yesterday" is not a timestamp'],
    ['boolean', { N: '1' }, 'entity "T", column "c": attribute is N; a boolean column needs BOOL'],
    ['jsonb', { SS: ['a'] }, 'entity "T", column "c": a SS attribute has no JSON form'],
    ['bit(4)', { S: '0102' }, 'entity "T", column "c": "0102" is not a bit string of 0s and 1s'],
    ['bit(4)', { BOOL: true }, 'entity "T", column "c": attribute is BOOL; a bit(4) column needs S'],
    ['daterange', { S: '2024-01-01' }, 'entity "T", column "c": "2024-01-01" is not a range'],
    ['tstzrange', { S: '[yesterday,)' }, 'entity "T", column "c": range bound "yesterday" is not a timestamp'],
  ] as Array<[string, AttributeValue, string]>)('refuses %s %j', (type, value, message) => {
    let thrown: unknown;
    try {
      decodeAttribute(value, parseColumnType(type)!, defaults, where);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MappingError);
    expect((thrown as MappingError).code).toBe('MAPPING_ITEM_INVALID');
    expect((thrown as MappingError).message).toBe(message);
  });
});

const shop = compileMapping(loadMapping(readFileSync(join(__dirname, '..', '__fixtures__', 'shop.mapping.yaml'), 'utf8'), 'shop.mapping.yaml'));
const payments = compileMapping(loadMapping(readFileSync(join(__dirname, '..', '..', '..', '..', 'examples', 'payments', 'mapping.yaml'), 'utf8'), 'payments'));

describe('compileInverse: which entities are invertible and why not', () => {
  it('reports per entity', () => {
    const inverse = compileInverse(shop);
    const verdicts = Object.fromEntries(inverse.entities.map((e) => [e.entity.name, { invertible: e.invertible, reasons: e.reasons }]));
    expect(verdicts).toEqual({
      Account: { invertible: true, reasons: [] },
      Order: { invertible: true, reasons: [] },
      Token: { invertible: true, reasons: [] },
      Cart: { invertible: true, reasons: [] },
      CartLine: {
        invertible: false,
        reasons: ['its rows live as entries of the "lines" map inside Cart items; the way back does not split embedded children into rows'],
      },
    });
    expect(inverse.entity('Token')!.warnings).toEqual(['column "scopes" is stored as a set: element order and duplicates do not come back, and an empty array comes back NULL']);
  });

  it('names a lossy key formatter and an excluded column without a default', () => {
    const mapping: Mapping = {
      table: { name: 'Tbl', partitionKey: { name: 'PK', type: 'S' }, sortKey: { name: 'SK', type: 'S' } },
      entities: [
        {
          name: 'User',
          source: { table: 'users' },
          primaryKey: ['id'],
          columns: { id: 'integer', email: 'text', secret: 'text', created: 'timestamptz' },
          key: { pk: 'USER#{email:lower}', sk: 'DAY#{created:date}#{id}' },
          attributes: { exclude: ['email', 'secret', 'created'] },
        },
        {
          name: 'Note',
          source: { table: 'notes' },
          primaryKey: ['id'],
          columns: { id: 'integer', body: 'text', hidden: 'text' },
          key: { pk: 'NOTE#{id}', sk: 'NOTE' },
          attributes: { exclude: ['hidden'] },
          inverse: { defaults: { hidden: null } },
        },
      ],
    };
    const inverse = compileInverse(compileMapping(mapping));
    expect(inverse.entity('User')!.reasons).toEqual([
      'column "email" is not an attribute and its placeholder in key.pk ("USER#{email:lower}") cannot be read back: formatter lower on "email" loses the original case',
      'column "secret" is not in the item (excluded from the attributes, not in the key) and has no inverse default; declare inverse.defaults.secret (null: the column\'s own DEFAULT)',
      'column "created" is not an attribute and its placeholder in key.sk ("DAY#{created:date}#{id}") cannot be read back: formatter date on "created" keeps only the day',
    ]);
    expect(inverse.entity('Note')!.invertible).toBe(true);
  });
});

describe('itemToRow: an item back to its row', () => {
  const inverse = compileInverse(payments);
  const row = {
    paymentid: 42,
    customerid: 7,
    loanid: 9,
    paymentamount: '1234.50',
    paymentdate: '2024-03-01 10:00:00.123456+00',
    paymentmethod: 'ACH',
    paymentstatus: 'Completed',
    transactionreference: null,
    processeddate: '2024-03-01 12:00:00+02',
    createddate: '2024-03-01 09:00:00+00',
    updateddate: null,
  };
  const mapped = mapRow(payments.entity('Payment')!, row, { version: '00ab' });
  const item = mapped.kind === 'item' ? mapped.item : {};

  it('parses the key back and converts every attribute to the declared type', () => {
    const back = itemToRow(inverse, item);
    expect(back.entity.entity.name).toBe('Payment');
    expect(back.primaryKey).toEqual({ paymentid: '42' });
    expect(back.params).toEqual({
      paymentid: '42',
      customerid: '7',
      loanid: '9',
      paymentamount: '1234.5',
      paymentdate: '2024-03-01 10:00:00.123456+00',
      paymentmethod: 'ACH',
      paymentstatus: 'Completed',
      transactionreference: null,
      processeddate: '2024-03-01 10:00:00.000000+00',
      createddate: '2024-03-01 09:00:00.000000+00',
      updateddate: null,
    });
    expect(back.unknownAttributes).toEqual([]);
    // row → item → row → item is the identity on items.
    const again = mapRow(payments.entity('Payment')!, back.params as Record<string, unknown>, { version: '00ab' });
    expect(again).toEqual(mapped);
  });

  it('reads a column that is only in the key (pad, iso of a date)', () => {
    const inv = compileInverse(shop);
    const account = mapRow(shop.entity('Account')!, { tenant_id: 'acme', account_no: 42, email: 'a@b', region: null, opened_on: '2024-02-29', notes: null, balance: '1' });
    const accountItem = account.kind === 'item' ? { ...account.item } : {};
    delete accountItem['account_no'];
    const inverseAccount = compileInverse(compileMapping({ ...shop.mapping, entities: shop.mapping.entities.map((e) => (e.name === 'Account' ? { ...e, attributes: { exclude: ['account_no'] } } : e)) }));
    expect(inverseAccount.entity('Account')!.invertible).toBe(true);
    expect(itemToRow(inverseAccount, accountItem).params['account_no']).toBe('42');
    expect(inv.entity('Account')!.invertible).toBe(true);
  });

  it('dead-letters an item whose key does not render back from its attributes', () => {
    const tampered = { ...item, PaymentId: { N: '43' } };
    expect(() => itemToRow(inverse, tampered)).toThrow(
      'entity "Payment": the item\'s key {"S":"CUSTOMER#7"} {"S":"PAYMENT#2024-03-01T10:00:00.123456Z#42"} renders back as {"S":"CUSTOMER#7"} {"S":"PAYMENT#2024-03-01T10:00:00.123456Z#43"}; the row would not map to this item',
    );
  });

  it('refuses an item no entity claims, naming its key', () => {
    let thrown: unknown;
    try {
      itemToRow(inverse, { PK: { S: 'X#1' }, SK: { S: 'Y' }, _type: { S: 'Ghost' } });
    } catch (error) {
      thrown = error;
    }
    expect((thrown as MappingError).code).toBe('MAPPING_ITEM_UNMAPPED');
    expect((thrown as MappingError).message).toBe('no entity of the mapping claims the item with key PK=X#1 SK=Y (entity type attribute "_type" is {"S":"Ghost"})');
  });

  it('lists attributes the mapping does not know (an application added them after cut-over)', () => {
    expect(itemToRow(inverse, { ...item, Nickname: { S: 'n' } }).unknownAttributes).toEqual(['Nickname']);
  });
});

describe('compareItemWithRow (the reconciler, DynamoDB → PostgreSQL)', () => {
  const inverse = compileInverse(payments);
  const entity = inverse.entity('Payment')!;
  const row = {
    paymentid: '42',
    customerid: '7',
    loanid: '9',
    paymentamount: '1234.50',
    paymentdate: '2024-03-01 10:00:00.123456+00',
    paymentmethod: 'ACH',
    paymentstatus: 'Completed',
    transactionreference: null,
    processeddate: null,
    createddate: '2024-03-01 09:00:00+00',
    updateddate: null,
  };
  const mapped = mapRow(payments.entity('Payment')!, row);
  const item = mapped.kind === 'item' ? mapped.item : {};

  it('finds nothing when the row holds what the item says, in any text form', () => {
    expect(compareItemWithRow(entity, item, { ...row, paymentamount: '1234.5', paymentdate: '2024-03-01 12:00:00.123456+02' })).toEqual([]);
  });

  it('names each differing column with the item value and the row value', () => {
    expect(compareItemWithRow(entity, item, { ...row, paymentstatus: 'Refunded', transactionreference: 'T-1' })).toEqual([
      { column: 'paymentstatus', expected: { S: 'Completed' }, actual: { S: 'Refunded' } },
      { column: 'transactionreference', expected: { NULL: true }, actual: { S: 'T-1' } },
    ]);
  });
});
