import type { PutCommand } from '@pg2ddb/contracts';

import { compileMapping } from '../definition/compile-mapping';
import { loadMapping } from '../definition/load-mapping';
import { mapChange } from '../apply/map-change';
import { mapRow } from '../apply/map-row';
import { context, envelope, field } from '../__fixtures__/envelope-builder';

const compiled = compileMapping(
  loadMapping(
    `
table: { name: Sensors, partitionKey: { name: PK, type: S } }
entities:
  - name: Reading
    source: { schema: public, table: readings }
    primaryKey: [id]
    columns:
      id: integer
      strict: float8
      exact: { type: float8, unrepresentable: string }
      dropped: { type: numeric, unrepresentable: "null" }
      secret: float8
    attributes: { exclude: [secret] }
    key: { pk: "READING#{id}" }
`,
    'sensors.yaml',
  ),
);
const entity = compiled.entity('Reading')!;
const fields = [field.int32('id'), field.float64('strict'), field.float64('exact'), field.string('dropped'), field.float64('secret')];
const event = (after: Record<string, unknown>) => envelope({ op: 'c', table: 'readings', fields, after });

describe('values DynamoDB cannot hold, per column', () => {
  it('stores the exact text or NULL as the column says, on both paths', () => {
    const after = { id: 1, strict: 1.5, exact: 1e200, dropped: '1e-140', secret: 2 };
    const [put] = mapChange(compiled, event(after), context) as [PutCommand];
    expect(put.item).toMatchObject({ strict: { N: '1.5' }, exact: { S: '1e+200' } });
    // nulls: omit (the default) leaves the NULLed attribute out.
    expect(put.item).not.toHaveProperty('dropped');
    const row = mapRow(entity, { id: 1, strict: 1.5, exact: 1e200, dropped: '1e-140' }, { version: context.version });
    expect(row.kind === 'item' && row.item).toEqual(put.item);
    // Representable values stay numbers.
    const [plain] = mapChange(compiled, event({ ...after, exact: 2.25, dropped: '3' }), context) as [PutCommand];
    expect(plain.item).toMatchObject({ exact: { N: '2.25' }, dropped: { N: '3' } });
  });

  it('dead-letters the row by default, naming column and value', () => {
    expect(() => mapChange(compiled, event({ id: 1, strict: -1e130, exact: 1, dropped: '1', secret: 1 }), context)).toThrow(
      expect.objectContaining({ code: 'MAPPING_NUMBER_OUT_OF_RANGE', details: expect.objectContaining({ column: 'strict' }) }),
    );
  });

  it('does not read an excluded column at all: neither its value nor its absence fails the row', () => {
    expect(entity.columns).toEqual(['id', 'strict', 'exact', 'dropped']);
    expect(() => mapChange(compiled, event({ id: 1, strict: 1, exact: 1, dropped: '1', secret: 1e300 }), context)).not.toThrow();
    // After ALTER TABLE readings DROP COLUMN secret, events no longer carry it.
    expect(() => mapChange(compiled, event({ id: 1, strict: 1, exact: 1, dropped: '1' }), context)).not.toThrow();
    expect(() => mapRow(entity, { id: 1, strict: 1, exact: 1, dropped: '1' })).not.toThrow();
  });

  it('rejects an unknown policy in the mapping file', () => {
    expect(() =>
      loadMapping(
        `
table: { name: T, partitionKey: { name: PK, type: S } }
entities:
  - name: E
    source: { table: t }
    primaryKey: [id]
    columns: { id: integer, v: { type: float8, unrepresentable: round } }
    key: { pk: "E#{id}" }
`,
        'bad.yaml',
      ),
    ).toThrow(/unrepresentable/);
  });
});
