/**
 * A small JSON parser that never rounds a number. `JSON.parse` turns 12345678901234567890 into
 * 12345678901234567000; a jsonb document or an int64 column must reach DynamoDB digit for digit.
 */

/** A JSON number kept as its source text. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

/** A parsed JSON value: objects as Maps (any key, `__proto__` included), numbers as text. */
export type JsonNode = null | boolean | string | JsonNumber | JsonNode[] | Map<string, JsonNode>;

/** Thrown for malformed JSON, with the offset of the problem. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at position ${position}`);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;
const MAX_DEPTH = 1000;

type NumberReader = (text: string) => unknown;

class Parser {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly readNumber: NumberReader,
    private readonly plainObjects: boolean,
  ) {}

  parseDocument(): unknown {
    const value = this.value(0);
    this.skipWhitespace();
    if (this.pos !== this.text.length) throw new JsonSyntaxError('unexpected text after the JSON value', this.pos);
    return value;
  }

  private skipWhitespace(): void {
    WHITESPACE.lastIndex = this.pos;
    WHITESPACE.test(this.text);
    this.pos = WHITESPACE.lastIndex;
  }

  private value(depth: number): unknown {
    if (depth > MAX_DEPTH) throw new JsonSyntaxError(`nesting deeper than ${MAX_DEPTH}`, this.pos);
    this.skipWhitespace();
    const c = this.text[this.pos];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    if (this.text.startsWith('true', this.pos)) return this.literal(4, true);
    if (this.text.startsWith('false', this.pos)) return this.literal(5, false);
    if (this.text.startsWith('null', this.pos)) return this.literal(4, null);
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (!match) throw new JsonSyntaxError(c === undefined ? 'unexpected end of JSON' : `unexpected ${JSON.stringify(c)}`, this.pos);
    this.pos = NUMBER.lastIndex;
    return this.readNumber(match[0]);
  }

  private literal(length: number, value: boolean | null): boolean | null {
    this.pos += length;
    return value;
  }

  private string(): string {
    const start = this.pos;
    let i = start + 1;
    for (;;) {
      const code = this.text.charCodeAt(i);
      if (Number.isNaN(code)) throw new JsonSyntaxError('unterminated string', start);
      if (code === 0x22) break;
      i += code === 0x5c ? 2 : 1;
    }
    this.pos = i + 1;
    try {
      // JSON.parse decodes escapes and surrogate pairs exactly and rejects control characters.
      return JSON.parse(this.text.slice(start, this.pos)) as string;
    } catch {
      throw new JsonSyntaxError('invalid string', start);
    }
  }

  private expect(char: string): void {
    this.skipWhitespace();
    if (this.text[this.pos] !== char) throw new JsonSyntaxError(`expected ${JSON.stringify(char)}`, this.pos);
    this.pos++;
  }

  private array(depth: number): unknown[] {
    this.pos++;
    const items: unknown[] = [];
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return items;
    }
    for (;;) {
      items.push(this.value(depth + 1));
      this.skipWhitespace();
      if (this.text[this.pos] === ',') {
        this.pos++;
        continue;
      }
      this.expect(']');
      return items;
    }
  }

  private object(depth: number): unknown {
    this.pos++;
    const entries = new Map<string, unknown>();
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return this.finishObject(entries);
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') throw new JsonSyntaxError('expected a property name', this.pos);
      const key = this.string();
      this.expect(':');
      // Last duplicate wins, as in jsonb.
      entries.set(key, this.value(depth + 1));
      this.skipWhitespace();
      if (this.text[this.pos] === ',') {
        this.pos++;
        continue;
      }
      this.expect('}');
      return this.finishObject(entries);
    }
  }

  private finishObject(entries: Map<string, unknown>): unknown {
    if (!this.plainObjects) return entries;
    const result: Record<string, unknown> = {};
    for (const [key, value] of entries) {
      // defineProperty so a "__proto__" key stays data, as with JSON.parse.
      Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
    }
    return result;
  }
}

/** Parses JSON text into `JsonNode`s (numbers as `JsonNumber`, objects as Maps). Throws `JsonSyntaxError`. */
export function parseJsonNodes(text: string): JsonNode {
  return new Parser(text, (raw) => new JsonNumber(raw), false).parseDocument() as JsonNode;
}

/**
 * `JSON.parse` without silent rounding, for reading Debezium events: integers beyond 2^53 become
 * `bigint`, every other number a JS number (Debezium sends numeric columns as text, so only
 * floats and small integers remain, and those are exact as doubles). Objects are plain objects.
 */
export function parseJsonLossless(text: string): unknown {
  const fast = parseWithJsonParse(text);
  if (fast !== NOT_PARSED) return fast;
  return new Parser(text, exactNumber, true).parseDocument();
}

const NOT_PARSED = Symbol('not parsed');

/**
 * The fast path (~5x faster on Debezium's schema-laden events): the integer literals of 16+ digits
 * (the only ones that can exceed 2^53: ts_ns, int64 columns) are quoted with a NUL mark, and
 * `JSON.parse` turns the marked strings back into exact numbers. A native regex finds the digit
 * runs; one that cannot be a number token (not after `:`, `,`, `[` or whitespace, or running into
 * a fraction or exponent) is left alone. A run inside a string that passes that test gets marked
 * too, but the inserted quote then ends the string early and puts a backslash outside it, which is
 * never valid JSON: `JSON.parse` throws and the text goes to the exact parser. So is text that
 * already holds a NUL escape (no Postgres text or jsonb can), or is malformed.
 */
function parseWithJsonParse(text: string): unknown {
  if (text.includes('\\u0000')) return NOT_PARSED;
  const big: Array<[number, number]> = [];
  const first = LEADING_DIGITS.exec(text);
  if (first) big.push([0, first[0].length]);
  // The match includes the character before the run, so the regex engine skips quickly over
  // everything that is not one of those characters.
  LONG_DIGITS.lastIndex = 0;
  for (let match = LONG_DIGITS.exec(text); match !== null; match = LONG_DIGITS.exec(text)) {
    const from = match.index + 1;
    const to = match.index + match[0].length;
    const after = text.charCodeAt(to);
    if (after === 0x2e || after === 0x65 || after === 0x45) continue; // 1234567890123456.5 or …e7: a double anyway
    big.push([from, to]);
  }
  try {
    if (big.length === 0) return JSON.parse(text);
    const parts: string[] = [];
    let at = 0;
    for (const [from, to] of big) {
      parts.push(text.slice(at, from), '"\\u0000', text.slice(from, to), '"');
      at = to;
    }
    parts.push(text.slice(at));
    const parsed: unknown = JSON.parse(parts.join(''));
    const remaining = { left: big.length };
    const restored = restoreMarked(parsed, remaining);
    return remaining.left === 0 ? restored : NOT_PARSED;
  } catch {
    return NOT_PARSED;
  }
}

/** A run of 16+ digits after a character a JSON number token can follow (outside strings). */
const LONG_DIGITS = /[:,[ \t\n\r]-?\d{16,}/g;
const LEADING_DIGITS = /^-?\d{16,}/;

/** Turns the marked strings back into numbers, in place; stops once all are found. */
function restoreMarked(value: unknown, remaining: { left: number }): unknown {
  if (typeof value === 'string') {
    if (value.charCodeAt(0) !== 0) return value;
    remaining.left--;
    return exactNumber(value.slice(1));
  }
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && remaining.left > 0; i++) value[i] = restoreMarked(value[i], remaining);
    return value;
  }
  // Backwards: in a Debezium envelope the big numbers sit in the payload, after the large schema.
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  for (let i = keys.length - 1; i >= 0 && remaining.left > 0; i--) {
    const key = keys[i] as string;
    record[key] = restoreMarked(record[key], remaining);
  }
  return value;
}

function exactNumber(raw: string): number | bigint {
  const value = Number(raw);
  const integral = !raw.includes('.') && !raw.includes('e') && !raw.includes('E');
  return integral && !Number.isSafeInteger(value) ? BigInt(raw) : value;
}
