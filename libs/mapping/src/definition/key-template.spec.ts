import { MappingError } from '../mapping-error';
import { parseTemplate, renderTemplate, type KeyTemplate } from './key-template';
import type { PgValue } from '../values/pg-value';

function template(source: string): KeyTemplate {
  const parsed = parseTemplate(source);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.template;
}

const site = { entity: 'E', attribute: 'SK' };
const row = (values: Record<string, PgValue>) => new Map(Object.entries(values));
const ts = (micros: bigint): PgValue => ({ kind: 'timestamp', micros });
const num = (text: string): PgValue => ({ kind: 'number', text });
const text = (value: string): PgValue => ({ kind: 'text', text: value });

describe('parseTemplate', () => {
  it('splits literals and placeholders and knows its literal ends', () => {
    const t = template('PAYMENT#{paymentdate:iso}#{paymentid}');
    expect(t.parts).toEqual([
      { literal: 'PAYMENT#' },
      { column: 'paymentdate', formatter: { name: 'iso' } },
      { literal: '#' },
      { column: 'paymentid' },
    ]);
    expect(t.columns).toEqual(['paymentdate', 'paymentid']);
    expect([t.literalPrefix, t.literalSuffix, t.constant, t.hasLiteral]).toEqual(['PAYMENT#', '', false, true]);
  });

  it('treats a template without placeholders as a constant', () => {
    const t = template('PROFILE');
    expect([t.literalPrefix, t.literalSuffix, t.constant]).toEqual(['PROFILE', 'PROFILE', true]);
  });

  it('reads doubled braces as literal braces', () => {
    expect(template('A{{x}}#{id}').parts).toEqual([{ literal: 'A{x}#' }, { column: 'id' }]);
  });

  it.each([
    ['USER#{id', ['has an unclosed "{"']],
    ['{a{b}', ['has an unclosed "{"']],
    ['x}', ['has a "}" without a matching "{" (write "}}" for a literal brace)']],
    ['{:iso}', ['has an empty placeholder "{:iso}"']],
    ['{d:pad(41)}', ['uses pad(41) on column "d"; the width must be 1 to 40']],
    ['{d:pad}', ['uses unknown formatter "pad" on column "d" (formatters: iso, date, pad(N), lower, upper)']],
  ])('reports problems in %s', (source, problems) => {
    expect(parseTemplate(source)).toEqual({ ok: false, problems });
  });
});

describe('renderTemplate', () => {
  const micros = 1709287200123456n;
  it.each([
    ['PAYMENT#{d:iso}#{id}', { d: ts(micros), id: num('7') }, 'PAYMENT#2024-03-01T10:00:00.123456Z#7'],
    ['{svc}-{d:date}', { svc: text('billing'), d: ts(micros) }, 'billing-2024-03-01'],
    ['{d:date}', { d: ts(-1n) }, '1969-12-31'],
    ['{d:iso}', { d: { kind: 'date', days: 19782 } }, '2024-02-29T00:00:00.000000Z'],
    ['ERROR#{ok}#{d:date}', { ok: { kind: 'boolean', value: false }, d: { kind: 'date', days: 19782 } }, 'ERROR#false#2024-02-29'],
    ['PRICE#{p:pad(10)}', { p: num('99.99') }, 'PRICE#0000000099.99'],
    ['PRICE#{p:pad(10)}', { p: num('100') }, 'PRICE#0000000100'],
    ['PRICE#{p:pad(3)}', { p: num('0') }, 'PRICE#000'],
    ['{e:lower}|{e:upper}', { e: text('Ünïcode@X.com') }, 'ünïcode@x.com|ÜNÏCODE@X.COM'],
    ['X#{b}', { b: { kind: 'bytes', base64: 'AQI=' } }, 'X#AQI='],
    ['{e}', { e: text('😀𝄞') }, '😀𝄞'],
  ] as Array<[string, Record<string, PgValue>, string]>)('%s', (source, values, expected) => {
    expect(renderTemplate(template(source), row(values), site)).toEqual({ ok: true, text: expected });
  });

  it('keeps numeric order for padded prices as strings', () => {
    const prices = ['5', '99.99', '100', '100.5', '0.01', '1000'];
    const rendered = prices.map((p) => {
      const result = renderTemplate(template('{p:pad(8)}'), row({ p: num(p) }), site);
      return result.ok ? result.text : '';
    });
    expect([...rendered].sort()).toEqual(['00000000.01', '00000005', '00000099.99', '00000100', '00000100.5', '00001000']);
  });

  it('reports NULL, unavailable and absent columns instead of throwing', () => {
    const t = template('A#{x}#{y}');
    expect(renderTemplate(t, row({ x: { kind: 'null' } }), site)).toEqual({ ok: false, column: 'x', reason: 'null' });
    expect(renderTemplate(t, row({ x: text('1'), y: { kind: 'unavailable' } }), site)).toEqual({ ok: false, column: 'y', reason: 'unavailable' });
    expect(renderTemplate(t, row({ x: text('1') }), site)).toEqual({ ok: false, column: 'y', reason: 'absent' });
  });

  it.each([
    ['{p:pad(4)}', { p: num('-1') }, 'entity "E", column "p": formatter pad(4) cannot keep the order of negative number -1 (template "{p:pad(4)}" of attribute "SK")'],
    ['{p:pad(2)}', { p: num('100') }, 'entity "E", column "p": number 100 has more than 2 integer digits for pad(2) (template "{p:pad(2)}" of attribute "SK")'],
    ['{p:pad(2)}', { p: text('7') }, 'entity "E", column "p": formatter pad(2) needs a number, got text (template "{p:pad(2)}" of attribute "SK")'],
    ['{p:iso}', { p: text('2024-01-01') }, 'entity "E", column "p": formatter iso needs a date or timestamp, got text (template "{p:iso}" of attribute "SK")'],
    ['{p:date}', { p: num('1') }, 'entity "E", column "p": formatter date needs a date or timestamp, got number (template "{p:date}" of attribute "SK")'],
    ['{p}', { p: { kind: 'json', text: '{}' } }, 'entity "E", column "p": a json value cannot be part of a key (template "{p}" of attribute "SK")'],
  ] as Array<[string, Record<string, PgValue>, string]>)('refuses %s for an unsuitable value', (source, values, message) => {
    let thrown: unknown;
    try {
      renderTemplate(template(source), row(values), site);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MappingError);
    expect((thrown as MappingError).code).toBe('MAPPING_TEMPLATE_VALUE_INVALID');
    expect((thrown as MappingError).message).toBe(message);
  });
});
