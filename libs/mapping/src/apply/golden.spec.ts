import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import type { AttributeMap, ConnectSchema, DebeziumEnvelope, SourceCoordinates, WriteCommand } from '@pg2ddb/contracts';

import { compileMapping, type CompiledMapping } from '../definition/compile-mapping';
import { decodeDebeziumValue } from '../values/debezium-decoder';
import { loadMapping } from '../definition/load-mapping';
import { parseJsonLossless } from '../values/lossless-json';
import { mapChange } from './map-change';
import { MappingError } from '../mapping-error';
import type { Mapping } from '../definition/mapping-definition';
import { expandFixture as expand } from '../testing';

/*
 * Golden tests. The inputs are change events the real Debezium PostgreSQL connector produced in
 * the local stack with the shipped connector configuration, captured verbatim by
 * `infra/scripts/capture-golden-fixtures.ts` (never typed by hand). The outputs,
 * `<event>.expected.json`, are written by hand from docs/type-mapping.md: they are the
 * specification. An expected file holds either `commands` — each without `v`, `table`, `entity`,
 * `version`, `source` and the `_ver` stamp, which this spec adds because they only echo the
 * context — or `error` with the exact code and message (`${schema}` stands for the captured
 * schema; a missing message means only the code is specified).
 */

const GOLDEN = join(__dirname, '..', '__fixtures__', 'golden');

interface CaptureManifest {
  schema: string;
  debezium: string;
  seed: { events: Array<{ name: string; op: string }> };
  steps: Array<{ name: string; events: Array<{ name: string; op: string }> }>;
}

interface Expected {
  commands?: Array<Record<string, unknown>>;
  error?: { code: string; message?: string };
}

const manifest = JSON.parse(readFileSync(join(GOLDEN, 'capture.json'), 'utf8')) as CaptureManifest;
const eventNames = [...manifest.seed.events, ...manifest.steps.flatMap((step) => step.events)].map((event) => event.name);

const VERSION = '0000000000000f00000000000000000a';
const SOURCE: SourceCoordinates = {
  topic: 'golden',
  partition: 0,
  offset: '0',
  schema: manifest.schema,
  table: 'types',
  lsn: null,
  txId: null,
  snapshot: false,
  committedAtMs: 0,
};

function goldenMapping(edit: (mapping: Mapping) => void = () => undefined): CompiledMapping {
  const mapping = loadMapping(readFileSync(join(GOLDEN, 'mapping.yaml'), 'utf8'), 'mapping.yaml');
  for (const entity of mapping.entities) entity.source.schema = manifest.schema;
  edit(mapping);
  return compileMapping(mapping, 'mapping.yaml');
}

const compiled = goldenMapping();

function readEvent(name: string): DebeziumEnvelope {
  // The lossless parser, as the transformer reads events: int64 beyond 2^53 stays exact.
  return parseJsonLossless(readFileSync(join(GOLDEN, `${name}.event.json`), 'utf8')) as DebeziumEnvelope;
}

function readExpected(name: string): Expected {
  return expand(JSON.parse(readFileSync(join(GOLDEN, `${name}.expected.json`), 'utf8'))) as Expected;
}

/** An expected command completed with what only echoes the context. */
function complete(command: Record<string, unknown>): WriteCommand {
  const stamp = { _ver: { S: VERSION } };
  const full = { v: 1, table: 'golden-types', entity: 'TypeRow', version: VERSION, source: SOURCE, ...command } as Record<string, unknown>;
  if (full.op === 'put') full.item = { ...(full.item as AttributeMap), ...stamp };
  if (full.op === 'update') full.set = { ...(full.set as AttributeMap), ...stamp };
  return sortRemove(full as unknown as WriteCommand);
}

// The order of `remove` carries no meaning; compare it sorted.
function sortRemove(command: WriteCommand): WriteCommand {
  return command.op === 'update' ? { ...command, remove: [...command.remove].sort() } : command;
}

function check(name: string): void {
  const envelope = readEvent(name);
  const expected = readExpected(name);
  const run = () => mapChange(compiled, envelope, { version: VERSION, source: SOURCE });
  if (expected.error) {
    let thrown: unknown;
    let produced: WriteCommand[] | undefined;
    try {
      produced = run();
    } catch (error) {
      thrown = error;
    }
    expect(produced).toBeUndefined();
    expect(thrown).toBeInstanceOf(MappingError);
    expect((thrown as MappingError).code).toBe(expected.error.code);
    if (expected.error.message !== undefined) {
      expect((thrown as MappingError).message).toBe(expected.error.message.replace('${schema}', manifest.schema));
    }
    return;
  }
  expect(run().map(sortRemove)).toEqual((expected.commands ?? []).map(complete));
}

describe(`golden: real Debezium ${manifest.debezium} events → write commands`, () => {
  it('has a hand-written expectation for every captured event, and no other', () => {
    const files = readdirSync(GOLDEN);
    const events = files.filter((file) => file.endsWith('.event.json')).map((file) => file.replace('.event.json', ''));
    const expectations = files.filter((file) => file.endsWith('.expected.json')).map((file) => file.replace('.expected.json', ''));
    expect(events.sort()).toEqual([...eventNames].sort());
    expect(expectations.sort()).toEqual([...eventNames].sort());
  });

  it.each(eventNames)('%s', (name) => check(name));
});

describe('golden: what the connector does and does not say', () => {
  function afterField(name: string, column: string): ConnectSchema | undefined {
    const envelope = readEvent(name);
    return envelope.schema?.fields?.find((field) => field.field === 'after')?.fields?.find((field) => field.field === column);
  }

  it('marks numeric string fields with their source type (datatype.propagate.source.type), text fields not', () => {
    // With decimal.handling.mode=string the field is a plain string; only this parameter tells it from text.
    expect(afterField('numeric-38-digits', 'c_numeric')?.parameters?.['__debezium.source.column.type']).toBe('NUMERIC');
    expect(afterField('numeric-38-digits', 'c_text')).toEqual({ type: 'string', optional: true, field: 'c_text' });
  });

  it('so an undeclared numeric column is still stored as an exact number', () => {
    const undeclared = goldenMapping((mapping) => {
      const columns = mapping.entities[0]!.columns as Record<string, unknown>;
      columns.c_numeric = null;
    });
    const [command] = mapChange(undeclared, readEvent('numeric-38-digits'), { version: VERSION, source: SOURCE });
    expect(command?.op === 'put' && command.item.c_numeric).toEqual({ N: '12345678901234567890.123456789012345678' });
  });

  it('sends bit(n) as a little-endian bit set with n and its source type, varbit without its length', () => {
    expect(afterField('bits', 'c_bit12')).toMatchObject({ type: 'bytes', name: 'io.debezium.data.Bits', parameters: { length: '12', '__debezium.source.column.type': 'BIT' } });
    expect(afterField('bits', 'c_bit1')).toMatchObject({ type: 'boolean', parameters: { '__debezium.source.column.type': 'BIT' } });
    const varbit = afterField('varbit', 'c_varbit');
    expect(varbit).toMatchObject({ type: 'bytes', name: 'io.debezium.data.Bits', parameters: { length: '16', '__debezium.source.column.type': 'VARBIT' } });
    // B'0011': one byte, 0x03, the two leading zeros gone; B'11' would arrive the same.
    const raw = (readEvent('varbit').payload.after as Record<string, unknown>).c_varbit;
    expect(raw).toBe('Aw==');
    expect(() => decodeDebeziumValue(raw, varbit, undefined, { entity: 'TypeRow', column: 'c_varbit' })).toThrow(
      expect.objectContaining({ code: 'MAPPING_UNSUPPORTED_TYPE' }),
    );
  });

  it('leaves tsvector out of the event and sends each inner array of a multi-dimensional value as NULL', () => {
    expect(afterField('text-forms', 'c_ltree')).toMatchObject({ type: 'string', name: 'io.debezium.data.Ltree' });
    expect(afterField('text-forms', 'c_tsvector')).toBeUndefined();
    // {{1,2},{3,NULL}} in an integer[][] column.
    expect(afterField('arrays-multi', 'c_int_matrix')).toMatchObject({ type: 'array', items: { type: 'int32' } });
    expect((readEvent('arrays-multi').payload.after as Record<string, unknown>).c_int_matrix).toEqual([null, null]);
  });

  it('marks tstzrange with its source type, so an undeclared one still gets its bounds in UTC', () => {
    expect(afterField('ranges', 'c_tstzrange')?.parameters?.['__debezium.source.column.type']).toBe('TSTZRANGE');
    const undeclared = goldenMapping((mapping) => {
      const columns = mapping.entities[0]!.columns as Record<string, unknown>;
      columns.c_tstzrange = null;
    });
    const [command] = mapChange(undeclared, readEvent('ranges'), { version: VERSION, source: SOURCE });
    expect(command?.op === 'put' && command.item.c_tstzrange).toEqual({ S: '["2024-02-29 07:04:56.5+00","2024-03-01 00:00:00+00")' });
  });

  it('names real and double fields "float" and "double", not "float32" and "float64"', () => {
    expect(afterField('floats', 'c_real')).toEqual({ type: 'float', optional: true, field: 'c_real' });
    expect(afterField('floats', 'c_double')).toEqual({ type: 'double', optional: true, field: 'c_double' });
  });
});
