/**
 * Test helpers shared by the mapping's own specs and the end-to-end suite (no production code
 * imports this entry point).
 */

/**
 * Expands the shorthands the golden expectation files use for large values:
 * `{"$repeat": "ab", "times": 3}` → "ababab" (or a list of repeated items) and
 * `{"$bytes": "ab", "times": 2}` → those bytes repeated, as base64 (see toast-insert.expected.json).
 */
export function expandFixture(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(expandFixture);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  if ('$repeat' in object) {
    const times = object.times as number;
    const unit = object.$repeat;
    return typeof unit === 'string' ? unit.repeat(times) : Array.from({ length: times }, () => expandFixture(unit));
  }
  if ('$bytes' in object) return Buffer.alloc(object.times as number, Buffer.from(object.$bytes as string, 'hex')).toString('base64');
  return Object.fromEntries(Object.entries(object).map(([key, item]) => [key, expandFixture(item)]));
}
