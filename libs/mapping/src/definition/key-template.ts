import { MappingErrorCode, valueError } from '../mapping-error';
import { scalarText, type PgRow, type PgValue } from '../values/pg-value';
import { MICROS_PER_DAY, floorDiv, formatDate, formatTimestamp } from '../values/temporal-format';

/**
 * Key templates: literal text with `{column}` and `{column:formatter}` placeholders, e.g.
 * `PAYMENT#{paymentdate:iso}#{paymentid}`. `#` is ordinary text; `{{` and `}}` are literal braces.
 * A template is parsed once at compile time; rendering is a loop over its parts.
 */
export type Formatter =
  | { readonly name: 'iso' }
  | { readonly name: 'date' }
  | { readonly name: 'lower' }
  | { readonly name: 'upper' }
  | { readonly name: 'pad'; readonly width: number };

export interface Placeholder {
  readonly column: string;
  readonly formatter?: Formatter;
}

export type TemplatePart = { readonly literal: string } | Placeholder;

export interface KeyTemplate {
  readonly source: string;
  readonly parts: readonly TemplatePart[];
  readonly placeholders: readonly Placeholder[];
  /** Referenced columns, each once, in order of appearance. */
  readonly columns: readonly string[];
  /** Literal text before the first placeholder (the whole text for a constant template). */
  readonly literalPrefix: string;
  /** Literal text after the last placeholder (the whole text for a constant template). */
  readonly literalSuffix: string;
  readonly constant: boolean;
  readonly hasLiteral: boolean;
}

export const FORMATTER_NAMES = 'iso, date, pad(N), lower, upper';
const MAX_PAD = 40;
const PAD = /^pad\((\d+)\)$/;

/** Parses a template; on failure returns every problem as a phrase (`has an unclosed "{"`). */
export function parseTemplate(source: string): { ok: true; template: KeyTemplate } | { ok: false; problems: string[] } {
  const parts: TemplatePart[] = [];
  const problems: string[] = [];
  let literal = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if ((c === '{' || c === '}') && source[i + 1] === c) {
      literal += c;
      i += 2;
    } else if (c === '}') {
      problems.push('has a "}" without a matching "{" (write "}}" for a literal brace)');
      i++;
    } else if (c === '{') {
      const end = source.indexOf('}', i + 1);
      const nested = source.indexOf('{', i + 1);
      if (end === -1 || (nested !== -1 && nested < end)) {
        problems.push('has an unclosed "{"');
        i = end === -1 ? source.length : nested;
        continue;
      }
      const placeholder = parsePlaceholder(source.slice(i + 1, end), problems);
      if (placeholder) {
        if (literal) parts.push({ literal });
        literal = '';
        parts.push(placeholder);
      }
      i = end + 1;
    } else {
      literal += c;
      i++;
    }
  }
  if (literal) parts.push({ literal });
  if (problems.length > 0) return { ok: false, problems };
  const placeholders = parts.filter((p): p is Placeholder => 'column' in p);
  const literalOf = (p: TemplatePart | undefined) => (p && 'literal' in p ? p.literal : '');
  const constant = placeholders.length === 0;
  return {
    ok: true,
    template: {
      source,
      parts,
      placeholders,
      columns: [...new Set(placeholders.map((p) => p.column))],
      literalPrefix: literalOf(parts[0]),
      literalSuffix: literalOf(parts[parts.length - 1]),
      constant,
      hasLiteral: parts.some((p) => 'literal' in p),
    },
  };
}

function parsePlaceholder(body: string, problems: string[]): Placeholder | undefined {
  const colon = body.indexOf(':');
  const column = colon === -1 ? body : body.slice(0, colon);
  if (column === '') {
    problems.push(`has an empty placeholder "{${body}}"`);
    return undefined;
  }
  if (colon === -1) return { column };
  const name = body.slice(colon + 1);
  if (name === 'iso' || name === 'date' || name === 'lower' || name === 'upper') return { column, formatter: { name } };
  const pad = PAD.exec(name);
  if (pad) {
    const width = Number(pad[1]);
    if (width >= 1 && width <= MAX_PAD) return { column, formatter: { name: 'pad', width } };
    problems.push(`uses pad(${pad[1]}) on column "${column}"; the width must be 1 to ${MAX_PAD}`);
    return undefined;
  }
  problems.push(`uses unknown formatter "${name}" on column "${column}" (formatters: ${FORMATTER_NAMES})`);
  return undefined;
}

export type RenderResult =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly column: string; readonly reason: 'null' | 'unavailable' | 'absent' };

/** Where a template is used, for error messages: `entity "Payment"`, `key attribute "SK"`. */
export interface TemplateSite {
  entity: string;
  attribute: string;
}

/**
 * Renders a template over a normalised row. A NULL, absent or unavailable column is reported
 * (not thrown) so the caller can decide: a key fails, a sparse GSI is left out. A value the
 * formatter cannot render throws `MAPPING_TEMPLATE_VALUE_INVALID`.
 */
export function renderTemplate(template: KeyTemplate, row: PgRow, site: TemplateSite): RenderResult {
  let text = '';
  for (const part of template.parts) {
    if ('literal' in part) {
      text += part.literal;
      continue;
    }
    const value = row.get(part.column);
    if (value === undefined) return { ok: false, column: part.column, reason: 'absent' };
    if (value.kind === 'null' || value.kind === 'unavailable') {
      return { ok: false, column: part.column, reason: value.kind };
    }
    text += formatValue(value, part, template, site);
  }
  return { ok: true, text };
}

function formatValue(value: PgValue, placeholder: Placeholder, template: KeyTemplate, site: TemplateSite): string {
  const formatter = placeholder.formatter;
  const fail = (problem: string): never =>
    valueError(
      MappingErrorCode.TemplateValueInvalid,
      { entity: site.entity, column: placeholder.column },
      `${problem} (template ${JSON.stringify(template.source)} of attribute "${site.attribute}")`,
    );
  const text = scalarText(value);
  if (text === undefined) return fail(`a ${value.kind} value cannot be part of a key`);
  if (!formatter) return text;
  switch (formatter.name) {
    case 'lower':
      return text.toLowerCase();
    case 'upper':
      return text.toUpperCase();
    case 'iso':
      if (value.kind === 'timestamp' || value.kind === 'infinity') return text;
      if (value.kind === 'date') return formatTimestamp(BigInt(value.days) * MICROS_PER_DAY);
      return fail(`formatter iso needs a date or timestamp, got ${value.kind}`);
    case 'date':
      if (value.kind === 'date' || value.kind === 'infinity') return text;
      if (value.kind === 'timestamp') return formatDate(Number(floorDiv(value.micros, MICROS_PER_DAY)));
      return fail(`formatter date needs a date or timestamp, got ${value.kind}`);
    case 'pad':
      return padNumber(value, formatter.width, fail);
  }
}

/**
 * Zero-pads the integer part of a non-negative number to `width` digits, keeping any fraction, so
 * that string order is numeric order (`0000000099.99` < `0000000100`).
 */
function padNumber(value: PgValue, width: number, fail: (problem: string) => never): string {
  if (value.kind !== 'number') return fail(`formatter pad(${width}) needs a number, got ${value.kind}`);
  if (value.text.startsWith('-')) return fail(`formatter pad(${width}) cannot keep the order of negative number ${value.text}`);
  const point = value.text.indexOf('.');
  const whole = point === -1 ? value.text : value.text.slice(0, point);
  if (whole.length > width) return fail(`number ${value.text} has more than ${width} integer digits for pad(${width})`);
  return whole.padStart(width, '0') + (point === -1 ? '' : value.text.slice(point));
}
