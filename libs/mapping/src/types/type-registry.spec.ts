import {
  ARRAY_CHECKS,
  compatibleFamilies,
  isTtlSource,
  KNOWN_TYPE_NAMES,
  liveColumnType,
  neverRendersEmpty,
  parseColumnType,
  refusedTypeReason,
  REFUSED_TYPES,
  selectColumnSql,
  TYPE_FAMILIES,
  typeFamily,
} from './type-registry';

describe('type registry', () => {
  it('gives every type name to exactly one family, and refuses none of them', () => {
    const names = TYPE_FAMILIES.flatMap((family) => family.aliases);
    expect(new Set(names).size).toBe(names.length);
    expect(KNOWN_TYPE_NAMES).toEqual(names);
    for (const refused of REFUSED_TYPES) for (const alias of refused.aliases) expect(names).not.toContain(alias);
  });

  it.each([
    ['int4range', 'range', false],
    ['int8range', 'range', false],
    ['numrange', 'range', false],
    ['daterange', 'range', false],
    ['tsrange', 'range', false],
    ['tstzrange', 'tstzrange', false],
    ['_int4range', 'range', true],
    ['bit(12)', 'bit', false],
    ['bit', 'bit', false],
    ['_bit', 'bit', true],
    ['macaddr8', 'text', false],
    ['ltree', 'text', false],
    ['integer[][]', 'integer', true],
    ['text[3][3]', 'text', true],
    ['numeric(12,2)', 'numeric', false],
    ['Timestamp With Time Zone', 'timestamptz', false],
  ])('parses %s as %s (array: %s)', (declared, family, array) => {
    expect(parseColumnType(declared)).toEqual({ declared, family, array });
  });

  it('refuses varbit and tsvector with their reasons, and knows nothing of unknown names', () => {
    expect(parseColumnType('varbit(16)')).toBeUndefined();
    expect(refusedTypeReason('varbit(16)')).toMatch(/^Debezium sends bit varying as a bit set cut after its highest set bit/);
    expect(refusedTypeReason('bit varying')).toBe(refusedTypeReason('_varbit'));
    expect(parseColumnType('tsvector')).toBeUndefined();
    expect(refusedTypeReason('tsvector')).toMatch(/^Debezium 3.2 has no converter for tsvector/);
    expect(parseColumnType('point')).toBeUndefined();
    expect(refusedTypeReason('point')).toBeUndefined();
  });

  it('keeps the key, TTL and compatibility rules of each family', () => {
    const keyNeverEmpty = TYPE_FAMILIES.filter((family) => family.keyNeverEmpty).map((family) => family.name);
    expect(keyNeverEmpty.sort()).toEqual(
      ['bit', 'boolean', 'date', 'float', 'integer', 'interval', 'numeric', 'range', 'time', 'timestamp', 'timestamptz', 'timetz', 'tstzrange', 'uuid'].sort(),
    );
    expect(neverRendersEmpty(parseColumnType('integer[]'))).toBe(false);
    expect(TYPE_FAMILIES.filter((family) => family.ttlSource).map((family) => family.name)).toEqual(['integer', 'date', 'timestamp', 'timestamptz']);
    expect(isTtlSource(parseColumnType('date')!)).toBe(true);
    expect(TYPE_FAMILIES.filter((family) => family.temporal).map((family) => family.name)).toEqual(['date', 'timestamp', 'timestamptz']);
    expect(compatibleFamilies('text', 'enum')).toBe(true);
    expect(compatibleFamilies('integer', 'numeric')).toBe(true);
    expect(compatibleFamilies('timestamp', 'timestamptz')).toBe(true);
    expect(compatibleFamilies('float', 'numeric')).toBe(false);
    expect(compatibleFamilies('range', 'tstzrange')).toBe(false);
  });

  it('says which checks validate runs and how the reconciler selects a column', () => {
    const checks = Object.fromEntries(TYPE_FAMILIES.filter((family) => family.checks.length > 0).map((family) => [family.name, family.checks]));
    expect(checks).toEqual({ numeric: ['number-range'], float: ['float-range'], date: ['date-range'], timestamp: ['date-range'], timestamptz: ['date-range'] });
    expect(ARRAY_CHECKS).toEqual(['array-dimensions']);
    expect(selectColumnSql('"amount"', 'money')).toBe('"amount"::numeric');
    expect(selectColumnSql('"amount"', 'numeric')).toBe('"amount"');
    expect(selectColumnSql('"r"', 'tstzrange')).toBe('"r"');
    expect(selectColumnSql('"x"', undefined)).toBe('"x"');
  });

  it('reads a live column by its udt_name, enums by their flag', () => {
    expect(liveColumnType('_int4', false, true)).toEqual({ declared: '_int4', family: 'integer', array: true });
    expect(liveColumnType('mood', true, false)).toEqual({ declared: 'enum', family: 'enum', array: false });
    expect(liveColumnType('varbit', false, false)).toBeUndefined();
    expect(typeFamily(liveColumnType('tstzrange', false, false)!).inverseWarning).toBe('comes back with its bounds in UTC (+00)');
  });
});
