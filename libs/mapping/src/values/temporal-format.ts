/**
 * Calendar arithmetic and the canonical text forms of Postgres date/time values. Everything is
 * integer arithmetic on epoch days and epoch microseconds (bigint), proleptic Gregorian, so values
 * far outside JS `Date`'s range (and before 1970) convert exactly.
 *
 * Canonical forms (documented in docs/type-mapping.md):
 * - timestamp / timestamptz: `YYYY-MM-DDTHH:MM:SS.ffffffZ` — always six fraction digits and `Z`,
 *   so that string order is time order for years 0000–9999 (keys sort correctly).
 * - date: `YYYY-MM-DD`; time: `HH:MM:SS.ffffff`; timetz: `HH:MM:SS.ffffffZ` (shifted to UTC).
 * Years outside 0000–9999 use ISO-8601's expanded form (`+10000`, `-0044`); year 0 is 1 BC.
 */

export const MICROS_PER_SECOND = 1_000_000n;
export const MICROS_PER_DAY = 86_400_000_000n;

/** Days since 1970-01-01 of a proleptic Gregorian date (astronomical year numbering). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The calendar date of an epoch day. */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Gregorian leap year (astronomical numbering: year 0 is a leap year). */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in a month (1–12) of a year. */
export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/** Floor division for bigint (rounds toward −∞, unlike `/`). */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

function pad(value: number | bigint, width: number): string {
  return value.toString().padStart(width, '0');
}

function formatYear(year: number): string {
  if (year >= 0 && year <= 9999) return pad(year, 4);
  return year < 0 ? `-${pad(-year, 4)}` : `+${year}`;
}

/** `YYYY-MM-DD` of an epoch day. */
export function formatDate(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${formatYear(year)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** `HH:MM:SS.ffffff` of microseconds since midnight (86 400 000 000 gives Postgres's `24:00:00`). */
export function formatTime(micros: bigint): string {
  const seconds = micros / MICROS_PER_SECOND;
  const fraction = micros % MICROS_PER_SECOND;
  return `${pad(seconds / 3600n, 2)}:${pad((seconds / 60n) % 60n, 2)}:${pad(seconds % 60n, 2)}.${pad(fraction, 6)}`;
}

/** The canonical timestamp text of epoch microseconds: `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
export function formatTimestamp(micros: bigint): string {
  // One row formats the same instant several times (key, GSI keys, attribute): remember the last few.
  for (let slot = 0; slot < RECENT_SIZE; slot++) if (recentMicros[slot] === micros) return recentTexts[slot] as string;
  const text = micros >= -FAST_LIMIT && micros <= FAST_LIMIT ? formatTimestampFast(Number(micros)) : formatTimestampExact(micros);
  recentMicros[recentNext] = micros;
  recentTexts[recentNext] = text;
  recentNext = (recentNext + 1) % RECENT_SIZE;
  return text;
}

/** formatTimestamp with bigint arithmetic: any instant. */
export function formatTimestampExact(micros: bigint): string {
  const days = floorDiv(micros, MICROS_PER_DAY);
  return `${formatDate(Number(days))}T${formatTime(micros - days * MICROS_PER_DAY)}Z`;
}

const RECENT_SIZE = 4;
const recentMicros: Array<bigint | undefined> = new Array<bigint | undefined>(RECENT_SIZE).fill(undefined);
const recentTexts: string[] = new Array<string>(RECENT_SIZE).fill('');
let recentNext = 0;

// Within ±9e15 µs (years 1685–2255) every intermediate value below stays an exact double
// (< 2^53), so plain number arithmetic gives the same text as bigint arithmetic, several times faster.
const FAST_LIMIT = 9_000_000_000_000_000n;
const MICROS_PER_DAY_NUMBER = 86_400_000_000;

function formatTimestampFast(micros: number): string {
  const days = Math.floor(micros / MICROS_PER_DAY_NUMBER);
  const timeOfDay = micros - days * MICROS_PER_DAY_NUMBER;
  const seconds = Math.floor(timeOfDay / 1_000_000);
  const fraction = timeOfDay - seconds * 1_000_000;
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor(seconds / 60) % 60;
  return `${formatDate(days)}T${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds % 60, 2)}.${pad(fraction, 6)}Z`;
}

/** Epoch microseconds of midnight UTC of an epoch day. */
export function daysToMicros(days: number): bigint {
  return BigInt(days) * MICROS_PER_DAY;
}

// Date part, then time, fraction, offset, and Postgres's " BC" suffix. Accepts ISO (`T`) and
// Postgres text output (space separator, `+00`, `+05:30`, historical `+00:53:28` offsets).
const TIMESTAMP_PATTERN =
  /^([+-]?\d{4,})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?( BC)?$/;
const DATE_PATTERN = /^([+-]?\d{4,})-(\d{2})-(\d{2})( BC)?$/;
const TIME_PATTERN = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?$/;

const ALL_ZEROS = /^0*$/;
const COLONS = /:/g;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; problem: string };

function fractionMicros(fraction: string | undefined): bigint | undefined {
  if (!fraction) return 0n;
  // Postgres keeps microseconds; a nonzero 7th–9th digit would be silently lost, so refuse it.
  if (fraction.length > 6 && !ALL_ZEROS.test(fraction.slice(6))) return undefined;
  return BigInt(fraction.slice(0, 6).padEnd(6, '0'));
}

function offsetSeconds(offset: string | undefined): number {
  if (!offset || offset === 'Z') return 0;
  const sign = offset[0] === '-' ? -1 : 1;
  const digits = offset.slice(1).replace(COLONS, '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4) || '0');
  const seconds = Number(digits.slice(4, 6) || '0');
  return sign * (hours * 3600 + minutes * 60 + seconds);
}

function validDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function astronomicalYear(text: string, bc: string | undefined): number {
  const year = Number(text);
  return bc ? 1 - year : year;
}

/** Parses an ISO-8601 or Postgres timestamp (with or without offset; none means UTC) to epoch µs. */
export function parseTimestamp(text: string): ParseResult<bigint> {
  const fast = parseUtcTimestampFast(text);
  if (fast !== undefined) return { ok: true, value: fast };
  return parseTimestampExact(text);
}

/**
 * The shape Debezium's ZonedTimestamp and the canonical form use, `YYYY-MM-DDTHH:MM:SS[.f…]Z`
 * (1–6 fraction digits), read without a regex; undefined for anything else — including invalid
 * values, whose error message the full parser words.
 */
function parseUtcTimestampFast(text: string): bigint | undefined {
  const length = text.length;
  if (length < 20 || length > 27 || text.charCodeAt(length - 1) !== 0x5a /* Z */) return undefined;
  if (text.charCodeAt(4) !== 0x2d || text.charCodeAt(7) !== 0x2d || text.charCodeAt(10) !== 0x54 || text.charCodeAt(13) !== 0x3a || text.charCodeAt(16) !== 0x3a) return undefined;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  let fraction = 0;
  if (length > 20) {
    if (text.charCodeAt(19) !== 0x2e || length === 21) return undefined;
    fraction = digitsAt(text, 20, length - 21);
    if (fraction < 0) return undefined;
    for (let digits = length - 21; digits < 6; digits++) fraction *= 10;
  }
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  if (!validDate(year, month, day) || hour > 24 || minute > 59 || second > 60) return undefined;
  const seconds = daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
  const micros = seconds * 1_000_000 + fraction;
  return Number.isSafeInteger(micros) ? BigInt(micros) : BigInt(seconds) * MICROS_PER_SECOND + BigInt(fraction);
}

/** The decimal value of `count` ASCII digits at `start`, or -1 if one is not a digit. */
function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let index = start; index < start + count; index++) {
    const digit = text.charCodeAt(index) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** `parseTimestamp` without its shortcut (the reference it is tested against). */
export function parseTimestampExact(text: string): ParseResult<bigint> {
  const m = TIMESTAMP_PATTERN.exec(text);
  if (!m) return { ok: false, problem: `${JSON.stringify(text)} is not a timestamp` };
  const year = astronomicalYear(m[1]!, m[9]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6] ?? '0');
  const fraction = fractionMicros(m[7]);
  if (!validDate(year, month, day) || hour > 24 || minute > 59 || second > 60) {
    return { ok: false, problem: `${JSON.stringify(text)} is not a valid timestamp` };
  }
  if (fraction === undefined) {
    return { ok: false, problem: `${JSON.stringify(text)} has sub-microsecond digits that Postgres cannot hold` };
  }
  const seconds = BigInt(daysFromCivil(year, month, day)) * 86_400n + BigInt(hour * 3600 + minute * 60 + second - offsetSeconds(m[8]));
  return { ok: true, value: seconds * MICROS_PER_SECOND + fraction };
}

/** Parses `YYYY-MM-DD` (optionally ` BC`) to an epoch day. */
export function parseDate(text: string): ParseResult<number> {
  const m = DATE_PATTERN.exec(text);
  if (!m) return { ok: false, problem: `${JSON.stringify(text)} is not a date` };
  const year = astronomicalYear(m[1]!, m[4]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (!validDate(year, month, day)) return { ok: false, problem: `${JSON.stringify(text)} is not a valid date` };
  return { ok: true, value: daysFromCivil(year, month, day) };
}

/** Parses a time of day, with an optional offset, to µs since midnight (UTC when an offset is given). */
export function parseTime(text: string): ParseResult<{ micros: bigint; zoned: boolean }> {
  const m = TIME_PATTERN.exec(text);
  if (!m) return { ok: false, problem: `${JSON.stringify(text)} is not a time of day` };
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  const second = Number(m[3] ?? '0');
  const fraction = fractionMicros(m[4]);
  if (fraction === undefined || hour > 24 || minute > 59 || second > 59) {
    return { ok: false, problem: `${JSON.stringify(text)} is not a valid time of day` };
  }
  let micros = BigInt(hour * 3600 + minute * 60 + second) * MICROS_PER_SECOND + fraction;
  if (m[5] !== undefined) {
    micros -= BigInt(offsetSeconds(m[5])) * MICROS_PER_SECOND;
    micros = ((micros % MICROS_PER_DAY) + MICROS_PER_DAY) % MICROS_PER_DAY;
  }
  return { ok: true, value: { micros, zoned: m[5] !== undefined } };
}

/** A date as Postgres reads and prints it: `YYYY-MM-DD`, with ` BC` for years before 1 (no year 0). */
export function formatPgDate(days: number): string {
  const { text, bc } = pgDateParts(days);
  return bc ? `${text} BC` : text;
}

/**
 * An instant as Postgres timestamp text, `YYYY-MM-DD HH:MM:SS.ffffff` plus `zone` (`+00` for
 * timestamptz, `''` for timestamp) and ` BC`. `trim` drops trailing fraction zeros (and an empty
 * fraction) the way Postgres's own output does.
 */
export function formatPgTimestamp(micros: bigint, zone: string, trim = false): string {
  const days = floorDiv(micros, MICROS_PER_DAY);
  const date = pgDateParts(Number(days));
  let time = formatTime(micros - days * MICROS_PER_DAY);
  if (trim) time = time.replace(TRAILING_FRACTION_ZEROS, '');
  return `${date.text} ${time}${zone}${date.bc ? ' BC' : ''}`;
}

const TRAILING_FRACTION_ZEROS = /\.?0+$/;

/** Postgres has no year 0: astronomical year 0 is 1 BC, -43 is 44 BC. */
function pgDateParts(days: number): { text: string; bc: boolean } {
  const { year, month, day } = civilFromDays(days);
  const bc = year <= 0;
  const shown = bc ? 1 - year : year;
  return { text: `${String(shown).padStart(4, '0')}-${pad(month, 2)}-${pad(day, 2)}`, bc };
}
