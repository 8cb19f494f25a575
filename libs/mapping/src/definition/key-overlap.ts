import type { KeyTemplate } from './key-template';

/**
 * A conservative check: false only when the two templates can never render the same text.
 *
 * Sound because a placeholder may render any text, so only the literal ends are certain: if
 * neither literal prefix is a prefix of the other, every pair of renderings differs within the
 * shorter prefix; likewise for suffixes. Two constant templates overlap only when equal. Anything
 * else (e.g. `USER#{id}` and `USER#{email}`) may collide and is reported, even when the column
 * types would in fact keep them apart; a distinct literal prefix always resolves it.
 */
export function mayRenderSame(a: KeyTemplate, b: KeyTemplate): boolean {
  if (a.constant && b.constant) return a.literalPrefix === b.literalPrefix;
  if (!a.literalPrefix.startsWith(b.literalPrefix) && !b.literalPrefix.startsWith(a.literalPrefix)) return false;
  if (!a.literalSuffix.endsWith(b.literalSuffix) && !b.literalSuffix.endsWith(a.literalSuffix)) return false;
  return true;
}
