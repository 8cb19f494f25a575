import { addDuration, canonicalInterval, parseDuration } from './iso-duration';
import { daysFromCivil, formatTimestamp, parseTimestamp } from './temporal-format';

function at(text: string): bigint {
  const parsed = parseTimestamp(text);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.value;
}

describe('parseDuration', () => {
  it.each([
    ['P7Y', { months: 84, days: 0, micros: 0n }],
    ['P1Y6M2W3D', { months: 18, days: 17, micros: 0n }],
    ['PT12H30M1.5S', { months: 0, days: 0, micros: 45001500000n }],
    ['-P1D', { months: 0, days: -1, micros: 0n }],
    ['P-1Y2M', { months: -10, days: 0, micros: 0n }],
  ])('%s', (text, expected) => {
    expect(parseDuration(text)).toEqual(expected);
  });

  it.each(['7Y', 'P', 'PT', 'P1.5Y', 'P1S', 'PT1.0000001S'])('refuses %s', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('addDuration (TTL arithmetic)', () => {
  it.each([
    ['2024-03-01T10:00:00.123456Z', 'P7Y', '2031-03-01T10:00:00.123456Z'],
    ['2024-02-29T00:00:00Z', 'P7Y', '2031-02-28T00:00:00.000000Z'],
    ['2024-02-29T00:00:00Z', 'P4Y', '2028-02-29T00:00:00.000000Z'],
    ['2024-01-31T00:00:00Z', 'P1M', '2024-02-29T00:00:00.000000Z'],
    ['1965-06-15T12:00:00Z', 'P7Y', '1972-06-15T12:00:00.000000Z'],
    ['2024-12-31T23:00:00Z', 'PT2H', '2025-01-01T01:00:00.000000Z'],
    ['2024-03-01T00:00:00Z', '-P1D', '2024-02-29T00:00:00.000000Z'],
  ])('%s + %s = %s', (start, duration, expected) => {
    expect(formatTimestamp(addDuration(at(start), parseDuration(duration)!))).toBe(expected);
  });

  it('works from dates as midnight UTC', () => {
    const midnight = BigInt(daysFromCivil(2024, 2, 29)) * 86_400_000_000n;
    expect(formatTimestamp(addDuration(midnight, parseDuration('P7Y')!))).toBe('2031-02-28T00:00:00.000000Z');
  });
});

describe('canonicalInterval', () => {
  it.each([
    ['P1Y2M3DT4H5M6.78S', 'P1Y2M3DT4H5M6.78S'],
    ['PT0S', 'P0Y0M0DT0H0M0S'],
    ['P14M', 'P1Y2M0DT0H0M0S'],
    ['PT100H', 'P0Y0M0DT100H0M0S'],
    ['PT-0.5S', 'P0Y0M0DT0H0M-0.5S'],
    ['P-1Y-2M3DT-4H-5M-6.5S', 'P-1Y-2M3DT-4H-5M-6.5S'],
  ])('%s → %s', (text, expected) => {
    expect(canonicalInterval(text)).toBe(expected);
  });
});
