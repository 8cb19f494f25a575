import { MappingError } from '../mapping-error';
import { RANGE_FAMILY, tstzrangeFromText } from './range-families';

const where = { entity: 'T', column: 'c' };

describe('tstzrange: bounds as Postgres prints them in UTC', () => {
  it.each([
    ['["2024-02-29 12:34:56.5+05:30","2024-03-01 00:00:00+00")', '["2024-02-29 07:04:56.5+00","2024-03-01 00:00:00+00")'],
    ['("2024-01-01 00:00:00.000001-08",]', '("2024-01-01 08:00:00.000001+00",]'],
    ['[-infinity,"2024-06-01 00:00:00-07")', '[-infinity,"2024-06-01 07:00:00+00")'],
    ['(,)', '(,)'],
    ['empty', 'empty'],
    ['["0001-01-01 00:30:00+01",)', '["0001-12-31 23:30:00+00 BC",)'],
    ['["10000-01-01 00:00:00+00",infinity]', '["10000-01-01 00:00:00+00",infinity]'],
    // Already canonical text is left as it is: the reconciler and the transformer agree.
    ['["2024-02-29 07:04:56.5+00","2024-03-01 00:00:00+00")', '["2024-02-29 07:04:56.5+00","2024-03-01 00:00:00+00")'],
  ])('%s → %s', (text, canonical) => {
    expect(tstzrangeFromText(text, where)).toEqual({ kind: 'text', text: canonical });
  });

  it.each([
    ['[2024-01-01 00:00:00+00', '"[2024-01-01 00:00:00+00" is not a range'],
    ['["2024-01-01 00:00:00+00,)', '"[\\"2024-01-01 00:00:00+00,)" is not a range'],
    ['[now,)', 'range bound "now" is not a timestamp'],
  ])('refuses %s', (text, problem) => {
    expect(() => tstzrangeFromText(text, where)).toThrow(MappingError);
    expect(() => tstzrangeFromText(text, where)).toThrow(`entity "T", column "c": ${problem}`);
  });
});

describe('other ranges: the text Postgres prints', () => {
  it('keeps the text (Postgres already canonicalises discrete ranges) and refuses what is not a range', () => {
    const type = { declared: 'numrange', family: 'range' as const, array: false };
    expect(RANGE_FAMILY.fromPostgres('(1.50,2.0]', type, where)).toEqual({ kind: 'text', text: '(1.50,2.0]' });
    expect(RANGE_FAMILY.fromPostgres('["2024-01-01 10:00:00",)', type, where)).toEqual({ kind: 'text', text: '["2024-01-01 10:00:00",)' });
    expect(() => RANGE_FAMILY.fromPostgres('1.5', type, where)).toThrow('entity "T", column "c": "1.5" is not a range');
  });
});
