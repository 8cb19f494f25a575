import { civilFromDays, daysFromCivil, formatDate, formatTimestamp, parseDate, parseTime, parseTimestamp } from './temporal-format';

describe('calendar arithmetic', () => {
  it('round-trips every day between 4713 BC and 294276 AD (sampled)', () => {
    for (let days = daysFromCivil(-4712, 1, 1); days <= daysFromCivil(294276, 12, 31); days += 997) {
      const { year, month, day } = civilFromDays(days);
      expect(daysFromCivil(year, month, day)).toBe(days);
    }
  });

  it('knows leap years', () => {
    expect(formatDate(daysFromCivil(2024, 2, 29))).toBe('2024-02-29');
    expect(formatDate(daysFromCivil(1900, 2, 28) + 1)).toBe('1900-03-01');
    expect(formatDate(daysFromCivil(2000, 2, 28) + 1)).toBe('2000-02-29');
  });
});

describe('formatTimestamp', () => {
  it.each([
    [0n, '1970-01-01T00:00:00.000000Z'],
    [-1n, '1969-12-31T23:59:59.999999Z'],
    [-62135596800000000n, '0001-01-01T00:00:00.000000Z'],
    [-62135596800000001n, '0000-12-31T23:59:59.999999Z'],
    [-62167219200000001n, '-0001-12-31T23:59:59.999999Z'],
    [253402300799999999n, '9999-12-31T23:59:59.999999Z'],
  ])('%s µs → %s', (micros, text) => {
    expect(formatTimestamp(micros)).toBe(text);
    expect(parseTimestamp(text)).toEqual({ ok: true, value: micros });
  });
});

describe('parsers', () => {
  it('parse Postgres text forms', () => {
    expect(parseTimestamp('2024-03-01 12:00:00.5+02')).toEqual({ ok: true, value: 1709287200500000n });
    expect(parseTimestamp('2024-03-01T10:00:00.123456789Z')).toEqual({
      ok: false,
      problem: '"2024-03-01T10:00:00.123456789Z" has sub-microsecond digits that Postgres cannot hold',
    });
    expect(parseTimestamp('2024-03-01T10:00:00.123456000Z')).toEqual({ ok: true, value: 1709287200123456n });
    expect(parseTimestamp('2023-02-29 00:00:00')).toEqual({ ok: false, problem: '"2023-02-29 00:00:00" is not a valid timestamp' });
    expect(parseDate('4714-11-24 BC')).toEqual({ ok: true, value: daysFromCivil(-4713, 11, 24) });
    expect(parseTime('23:59:59.999999-01:30')).toEqual({ ok: true, value: { micros: 5399999999n, zoned: true } });
  });
});
