import type { ColumnType } from '../definition/column-type';
import type { KeyTemplate, Placeholder } from '../definition/key-template';
import { typeFamily } from '../types/type-registry';

/**
 * The way back: splits a rendered key (`PAYMENT#2024-03-01T10:00:00.000000Z#42`) into the text of
 * each placeholder, by the template's literals. A placeholder ends at the first occurrence of the
 * literal that follows it (the last one takes the rest before the suffix). Undefined when the text
 * does not have the template's shape. Callers re-render the key from the row they build and compare,
 * so an ambiguous split (a value containing the next literal) is caught, never written.
 */
export function readTemplate(template: KeyTemplate, text: string): Map<Placeholder, string> | undefined {
  const values = new Map<Placeholder, string>();
  let at = 0;
  const parts = template.parts;
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index]!;
    if ('literal' in part) {
      if (!text.startsWith(part.literal, at)) return undefined;
      at += part.literal.length;
      continue;
    }
    const next = parts[index + 1];
    let end: number;
    if (next === undefined) end = text.length;
    else if (!('literal' in next)) return undefined; // Adjacent placeholders: validation marks them not invertible.
    else if (index + 1 === parts.length - 1) {
      // The last literal is the template's suffix: anchor it at the end of the text.
      end = text.length - next.literal.length;
      if (end < at || text.slice(end) !== next.literal) return undefined;
    } else {
      end = text.indexOf(next.literal, at);
      if (end < 0) return undefined;
    }
    values.set(part, text.slice(at, end));
    at = end;
  }
  return at === text.length ? values : undefined;
}

/** Characters the key text of a type can contain, for the ambiguity check; undefined: any. */
export function keyTextAlphabet(type: ColumnType | undefined): RegExp | undefined {
  return !type || type.array ? undefined : typeFamily(type).keyAlphabet;
}

/** Why reading this placeholder back loses information, or undefined when it is exact. */
export function placeholderLoss(placeholder: Placeholder, type: ColumnType | undefined): string | undefined {
  const formatter = placeholder.formatter;
  if (!formatter) return undefined;
  switch (formatter.name) {
    case 'lower':
    case 'upper':
      return `formatter ${formatter.name} on "${placeholder.column}" loses the original case`;
    case 'date':
      return type?.family === 'date' ? undefined : `formatter date on "${placeholder.column}" keeps only the day`;
    case 'iso':
    case 'pad':
      return undefined;
  }
}
