import type { AttributeValue, ConnectSchema } from '@pg2ddb/contracts';

import { encodeAttribute, type EncodeOptions } from './attribute-encoder';
import { parseColumnType } from '../definition/column-type';
import { decodeDebeziumValue } from './debezium-decoder';
import { MappingError } from '../mapping-error';
import type { PgValue } from './pg-value';
import { decodePostgresValue } from './postgres-decoder';
import matrix from '../__fixtures__/type-matrix.json';

interface MatrixCase {
  name: string;
  declared?: string;
  debezium?: { schema: ConnectSchema; raw: unknown };
  postgres?: { type: string; raw: unknown };
  options?: Partial<EncodeOptions>;
  expected?: AttributeValue | null;
  error?: { code: string; message: string };
}

const cases = matrix.cases as MatrixCase[];
const where = { entity: 'T', column: 'c' };
const defaults: EncodeOptions = { nulls: 'omit', json: 'map', arrays: 'list' };

function encode(decode: () => PgValue, options: Partial<EncodeOptions> | undefined): AttributeValue | null {
  return encodeAttribute(decode(), { ...defaults, ...options }, where) ?? null;
}

// `{"$date": ...}` in the fixture stands for the JS Date that `pg` returns by default.
function reviveRaw(raw: unknown): unknown {
  if (raw && typeof raw === 'object' && '$date' in raw) return new Date((raw as { $date: string }).$date);
  return raw;
}

function expectOutcome(run: () => AttributeValue | null, c: MatrixCase): void {
  if (c.error) {
    let thrown: unknown;
    try {
      run();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MappingError);
    expect((thrown as MappingError).code).toBe(c.error.code);
    expect((thrown as MappingError).message).toBe(c.error.message);
  } else {
    expect(run()).toEqual(c.expected);
  }
}

describe('type matrix: Debezium event → AttributeValue', () => {
  it.each(cases.filter((c) => c.debezium).map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const declared = c.declared ? parseColumnType(c.declared) : undefined;
    expectOutcome(() => encode(() => decodeDebeziumValue(c.debezium!.raw, c.debezium!.schema, declared, where), c.options), c);
  });
});

describe('type matrix: Postgres row → AttributeValue (the reconciler path agrees)', () => {
  it.each(cases.filter((c) => c.postgres).map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const type = parseColumnType(c.postgres!.type);
    expect(type).toBeDefined();
    expectOutcome(() => encode(() => decodePostgresValue(reviveRaw(c.postgres!.raw), type, where), c.options), c);
  });
});

describe('unavailable-value placeholder', () => {
  const placeholder = '__debezium_unavailable_value';
  it.each([
    ['text', { type: 'string' }, placeholder],
    ['jsonb', { type: 'string', name: 'io.debezium.data.Json' }, placeholder],
    ['bytea', { type: 'bytes' }, Buffer.from(placeholder).toString('base64')],
    ['text[]', { type: 'array', items: { type: 'string' } }, [placeholder]],
    ['int4[]', { type: 'array', items: { type: 'int32' } }, [...placeholder].map((ch) => ch.charCodeAt(0))],
  ] as Array<[string, ConnectSchema, unknown]>)('is recognised in a %s column', (_type, schema, raw) => {
    expect(decodeDebeziumValue(raw, schema, undefined, where)).toEqual({ kind: 'unavailable' });
  });

  it('is not confused with an ordinary value', () => {
    expect(decodeDebeziumValue('__debezium_unavailable', { type: 'string' }, undefined, where)).toEqual({ kind: 'text', text: '__debezium_unavailable' });
  });
});

describe('decoders without a type', () => {
  it('refuse a field the event schema does not describe', () => {
    expect(() => decodeDebeziumValue(1, undefined, undefined, where)).toThrow(
      'entity "T", column "c": the event schema has no field for this column',
    );
  });

  it('infer from the JS value on the Postgres path', () => {
    expect(decodePostgresValue('x', undefined, where)).toEqual({ kind: 'text', text: 'x' });
    expect(decodePostgresValue(12345678901234567890n, undefined, where)).toEqual({ kind: 'number', text: '12345678901234567890' });
    expect(decodePostgresValue(1.5, undefined, where)).toEqual({ kind: 'number', text: '1.5' });
    expect(decodePostgresValue(false, undefined, where)).toEqual({ kind: 'boolean', value: false });
    expect(decodePostgresValue(Buffer.from([1, 2]), undefined, where)).toEqual({ kind: 'bytes', base64: 'AQI=' });
    expect(decodePostgresValue({ a: 1 }, undefined, where)).toEqual({ kind: 'json', text: '{"a":1}' });
    expect(decodePostgresValue([1, null], undefined, where)).toEqual({
      kind: 'array',
      items: [{ kind: 'number', text: '1' }, { kind: 'null' }],
    });
  });
});
