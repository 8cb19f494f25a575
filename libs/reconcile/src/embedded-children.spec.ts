import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileMapping, loadMapping } from '@pg2ddb/mapping';

import { diffChildren, withChildDifferences, type ChildView } from './embedded-children';

const file = join(__dirname, '../../../examples/shopping-carts/mapping.yaml');
const mapping = compileMapping(loadMapping(readFileSync(file, 'utf8'), file), file);
const line = mapping.entity('CartLine')!;
const children: ChildView[] = [
  { entity: line, attribute: 'lines', byParent: { schema: 'public', table: 'cart_lines', columns: line.columns, primaryKey: ['cart_id'], types: new Map() }, columnMap: new Map([['id', 'cart_id']]), columnTypes: {} },
];
const entry = (qty: string, ver?: string) => ({ M: { qty: { N: qty }, ...(ver ? { _ver: { S: ver } } : {}) } });

describe('diffChildren', () => {
  it('ignores each entry\'s own _ver and finds differing, missing and extra entries by path', () => {
    const expected = new Map([
      ['lines.1', entry('1')],
      ['lines.2', entry('2')],
      ['lines.3', entry('3')],
    ]);
    const actual = { lines: { M: { '1': entry('1', 'aa'), '2': entry('20', 'bb'), '9': entry('9', 'cc') } } };
    expect(diffChildren(children, expected, actual)).toEqual([
      { name: 'lines.2', expected: entry('2'), actual: entry('20', 'bb') },
      { name: 'lines.3', expected: entry('3'), actual: null },
      { name: 'lines.9', expected: null, actual: entry('9', 'cc') },
    ]);
  });

  it('finds nothing when every entry matches, and treats a missing map as no entries', () => {
    expect(diffChildren(children, new Map([['lines.1', entry('1')]]), { lines: { M: { '1': entry('1', 'aa') } } })).toEqual([]);
    expect(diffChildren(children, undefined, {})).toEqual([]);
  });
});

describe('withChildDifferences', () => {
  const difference = { name: 'lines.1', expected: entry('1'), actual: null };
  it('turns an otherwise equal item into a mismatch of its child entries', () => {
    expect(withChildDifferences(undefined, [difference], { _ver: { S: 'v' } })).toEqual({ kind: 'mismatch', attributes: [difference], expectedVersion: null, actualVersion: 'v' });
  });

  it('leaves a missing or unexpected item as it is', () => {
    const missing = { kind: 'missing' as const, attributes: [], expectedVersion: null, actualVersion: null };
    expect(withChildDifferences(missing, [difference], { _ver: { S: 'v' } })).toBe(missing);
    expect(withChildDifferences(undefined, [difference], undefined)).toBeUndefined();
  });
});
