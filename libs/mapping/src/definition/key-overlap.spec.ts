import { mayRenderSame } from './key-overlap';
import { parseTemplate, type KeyTemplate } from './key-template';

function t(source: string): KeyTemplate {
  const parsed = parseTemplate(source);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.template;
}

describe('mayRenderSame (conservative overlap of two key templates)', () => {
  it.each([
    ['USER#{id}', 'ORDER#{id}', false],
    ['USER#{id}', 'USER#{email}', true],
    ['USER#{id}', 'USERS#{id}', false],
    ['USER#{id}', 'USER#A{id}', true],
    ['PROFILE', 'PROFILE', true],
    ['PROFILE', 'METADATA', false],
    ['PROFILE', 'ORDER#{date}#{id}', false],
    ['ORDER#X', 'ORDER#{id}', true],
    ['{a}#USER', '{b}#ORDER', false],
    ['{a}', 'ANYTHING', true],
    ['', 'X#{a}', true],
  ])('%s vs %s → %s', (a, b, expected) => {
    expect(mayRenderSame(t(a), t(b))).toBe(expected);
    expect(mayRenderSame(t(b), t(a))).toBe(expected);
  });
});
