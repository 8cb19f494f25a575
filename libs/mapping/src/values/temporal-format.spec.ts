import { civilFromDays, daysFromCivil, formatDate, formatTimestamp, formatTimestampExact, parseDate, parseTime, parseTimestamp, parseTimestampExact } from './temporal-format';

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

describe('formatTimestamp fast path', () => {
  it('gives the bigint path\'s text at and around the edges of its range and of days', () => {
    const edges = [9_000_000_000_000_000n, -9_000_000_000_000_000n, 8_999_999_999_999_999n, -8_999_999_999_999_999n, 9_000_000_000_000_001n, -9_000_000_000_000_001n];
    for (const edge of edges) expect(formatTimestamp(edge)).toBe(formatTimestampExact(edge));
    for (const day of [-1n, 0n, 1n, 19_000n, -719_162n]) {
      for (const offset of [-1n, 0n, 1n, 999_999n, 1_000_000n, 86_399_999_999n]) {
        const micros = day * 86_400_000_000n + offset;
        expect(formatTimestamp(micros)).toBe(formatTimestampExact(micros));
      }
    }
  });

  it('gives the bigint path\'s text for 20,000 pseudo-random instants, repeats included', () => {
    let seed = 12345;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let index = 0; index < 20_000; index++) {
      const micros = ((BigInt(next()) << 32n) | BigInt(next())) % 18_000_000_000_000_000n - 9_000_000_000_000_000n;
      expect(formatTimestamp(micros)).toBe(formatTimestampExact(micros));
      expect(formatTimestamp(micros)).toBe(formatTimestampExact(micros)); // from the recent-values memo
    }
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

describe('parseTimestamp fast path', () => {
  it('answers exactly as the full parser for UTC forms, valid or not', () => {
    const fixed = [
      '2024-03-05T12:34:56Z', '2024-03-05T12:34:56.1Z', '2024-03-05T12:34:56.123456Z', '2024-03-05T12:34:56.1234567Z', '2024-03-05T12:34:56.123456789Z',
      '0000-01-01T00:00:00Z', '9999-12-31T23:59:59.999999Z', '1969-12-31T23:59:59.999999Z', '2024-02-29T24:00:00Z', '2023-02-29T00:00:00Z',
      '2024-13-01T00:00:00Z', '2024-01-01T25:00:00Z', '2024-01-01T00:60:00Z', '2024-01-01T00:00:60Z', '2024-01-01T00:00:61Z', '2024-01-01T00:00:00.Z',
      '2024-01-01 00:00:00Z', '2024-01-01T00:00:00+00', '2024-01-01T0a:00:00Z', '+12024-01-01T00:00:00Z', '2024-1-01T00:00:00Z', '2024-01-01T00:00:00z',
    ];
    let seed = 99;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const two = (n: number) => String(n).padStart(2, '0');
    const generated: string[] = [];
    for (let index = 0; index < 20_000; index++) {
      const fraction = next() % 8 === 0 ? '' : `.${String(next() % 1_000_000).padStart(6, '0').slice(0, 1 + (next() % 7))}`;
      generated.push(`${String(next() % 10_000).padStart(4, '0')}-${two(next() % 14)}-${two(next() % 33)}T${two(next() % 26)}:${two(next() % 61)}:${two(next() % 62)}${fraction}Z`);
    }
    for (const text of [...fixed, ...generated]) expect(parseTimestamp(text)).toEqual(parseTimestampExact(text));
  });
});
