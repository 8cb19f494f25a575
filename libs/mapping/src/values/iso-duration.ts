import {
  MICROS_PER_DAY,
  MICROS_PER_SECOND,
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  floorDiv,
} from './temporal-format';

/**
 * An ISO-8601 duration split the way Postgres's `interval` is: months (years folded in), days
 * (weeks folded in) and microseconds, each with its own sign, because their lengths differ
 * (a month is not a fixed number of days, nor a day of hours across DST).
 */
export interface Duration {
  months: number;
  days: number;
  micros: bigint;
}

// Components may carry their own sign (Postgres writes `P-1Y-2M3DT-4H`); a leading `-` negates all.
const DURATION_PATTERN =
  /^([+-])?P(?!$)(?:([+-]?\d+)Y)?(?:([+-]?\d+)M)?(?:([+-]?\d+)W)?(?:([+-]?\d+)D)?(?:T(?=[+-]?\d)(?:([+-]?\d+)H)?(?:([+-]?\d+)M)?(?:([+-]?\d+(?:[.,]\d+)?)S)?)?$/;

const LEADING_SIGN = /^[+-]/;
const NONZERO_DIGIT = /[1-9]/;
const TRAILING_ZEROS = /0+$/;

function secondsToMicros(text: string): bigint | undefined {
  const negative = text.startsWith('-');
  const unsigned = text.replace(LEADING_SIGN, '').replace(',', '.');
  const [whole = '0', fraction = ''] = unsigned.split('.');
  if (fraction.length > 6 && NONZERO_DIGIT.test(fraction.slice(6))) return undefined;
  const micros = BigInt(whole) * MICROS_PER_SECOND + BigInt((fraction.slice(0, 6) || '0').padEnd(6, '0'));
  return negative ? -micros : micros;
}

/** Parses `P7Y`, `P1Y6M`, `P2W`, `PT12H`, `P-1Y-2M3DT-4H-5M-6.5S`, `-P1D`; undefined when invalid. */
export function parseDuration(text: string): Duration | undefined {
  const m = DURATION_PATTERN.exec(text);
  if (!m) return undefined;
  const n = (group: string | undefined) => (group ? Number(group) : 0);
  const seconds = m[8] ? secondsToMicros(m[8]) : 0n;
  if (seconds === undefined) return undefined;
  const sign = m[1] === '-' ? -1 : 1;
  const micros = BigInt(n(m[6]) * 3600 + n(m[7]) * 60) * MICROS_PER_SECOND + seconds;
  return {
    months: sign * (n(m[2]) * 12 + n(m[3])) || 0,
    days: sign * (n(m[4]) * 7 + n(m[5])) || 0,
    micros: sign === -1 ? -micros : micros,
  };
}

/**
 * Adds a duration to epoch microseconds the calendar way (as Postgres's `timestamp + interval`):
 * months first, clamping the day to the target month's length (2024-02-29 + P1Y = 2025-02-28),
 * then days, then the time part.
 */
export function addDuration(micros: bigint, duration: Duration): bigint {
  const days = floorDiv(micros, MICROS_PER_DAY);
  const timeOfDay = micros - days * MICROS_PER_DAY;
  const { year, month, day } = civilFromDays(Number(days));
  const monthIndex = year * 12 + (month - 1) + duration.months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  const targetDay = Math.min(day, daysInMonth(targetYear, targetMonth));
  const shiftedDays = daysFromCivil(targetYear, targetMonth, targetDay) + duration.days;
  return BigInt(shiftedDays) * MICROS_PER_DAY + timeOfDay + duration.micros;
}

function formatSeconds(micros: bigint): string {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const whole = abs / MICROS_PER_SECOND;
  const fraction = (abs % MICROS_PER_SECOND).toString().padStart(6, '0').replace(TRAILING_ZEROS, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/**
 * The canonical text of a Postgres interval: Debezium's `interval.handling.mode=string` form
 * `P<y>Y<m>M<d>DT<h>H<m>M<s>S` with every component present. Debezium's own text and Postgres's
 * `IntervalStyle=iso_8601` output (`PT0S`, `P1Y2M`) both normalise to it, so the transformer and
 * the reconciler agree.
 */
export function canonicalInterval(text: string): string | undefined {
  const duration = parseDuration(text);
  if (!duration) return undefined;
  const years = Math.trunc(duration.months / 12);
  const months = duration.months - years * 12;
  const hourMicros = 3_600n * MICROS_PER_SECOND;
  const hours = duration.micros / hourMicros;
  const minutes = (duration.micros % hourMicros) / (60n * MICROS_PER_SECOND);
  const seconds = duration.micros % (60n * MICROS_PER_SECOND);
  return `P${years || 0}Y${months || 0}M${duration.days}DT${hours}H${minutes}M${formatSeconds(seconds)}S`;
}
