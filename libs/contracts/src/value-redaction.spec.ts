import type { DeadLetter } from './dead-letter';
import type { DriftEvent } from './drift-event';
import { validateDriftMessage } from './drift-schema';
import { REDACTED, redactDeadLetter, redactDriftEvent, redactMessageValue, redactText } from './value-redaction';

const debeziumEvent = {
  schema: { type: 'struct', fields: [{ field: 'after', fields: [{ field: 'id', type: 'int32' }, { field: 'email', type: 'string' }] }] },
  payload: {
    before: null,
    after: { id: 42, email: 'ada@example.com', amount: '12.345', tags: ['vip'], address: { city: 'Paris' }, note: null },
    source: { db: 'app', schema: 'public', table: 'payments', lsn: 123 },
    op: 'c',
    ts_ms: 1700000000000,
  },
};

function letterOf(value: string | null, overrides: Partial<DeadLetter> = {}): DeadLetter {
  return {
    v: 1,
    stage: 'transformer',
    code: 'MAPPING_NUMBER_TOO_PRECISE',
    message: 'entity "Payment", column "amount": 12.345 has more digits than allowed; email ada@example.com',
    original: { topic: 'p.public.payments', partition: 2, offset: '17', key: '{"payload":{"id":42}}', value, encoding: 'utf8', headers: { h: '1' }, timestamp: '1700000000000' },
    details: { entity: 'Payment', column: 'amount', value: '12.345', path: '$.amount' },
    failedAt: '2026-12-04T00:00:00.000Z',
    ...overrides,
  };
}

describe('redactMessageValue', () => {
  it('keeps a Debezium event’s schema, source, op and column names and redacts every row value', () => {
    const { value, secrets } = redactMessageValue(JSON.stringify(debeziumEvent));
    const parsed = JSON.parse(value as string) as typeof debeziumEvent;
    expect(parsed.schema).toEqual(debeziumEvent.schema);
    expect(parsed.payload.source).toEqual(debeziumEvent.payload.source);
    expect(parsed.payload.op).toBe('c');
    expect(parsed.payload.before).toBeNull();
    expect(parsed.payload.after).toEqual({ id: REDACTED, email: REDACTED, amount: REDACTED, tags: [REDACTED], address: { city: REDACTED }, note: null });
    expect(secrets).toEqual(['42', 'ada@example.com', '12.345', 'vip', 'Paris']);
  });

  it('keeps a write command’s table, key, entity, version and source and the attribute names of item and set', () => {
    const command = { v: 1, op: 'put', table: 'Payments', key: { pk: { S: 'PAY#42' } }, entity: 'Payment', version: '00ab', source: { topic: 't', offset: '1' }, item: { pk: { S: 'PAY#42' }, email: { S: 'ada@example.com' }, n: { N: '7' } } };
    const parsed = JSON.parse(redactMessageValue(JSON.stringify(command)).value as string) as Record<string, unknown>;
    expect(parsed).toEqual({ ...command, item: { pk: { S: REDACTED }, email: { S: REDACTED }, n: { N: REDACTED } } });
  });

  it('keeps only the structure of other JSON and drops text that is not JSON', () => {
    expect(JSON.parse(redactMessageValue('{"a":{"b":[1,"x"]}}').value as string)).toEqual({ a: { b: [REDACTED, REDACTED] } });
    expect(redactMessageValue('ada@example.com plain')).toEqual({ value: null, secrets: ['ada@example.com plain'] });
    expect(redactMessageValue(null)).toEqual({ value: null, secrets: [] });
  });
});

describe('redactText', () => {
  it('replaces whole-word occurrences only', () => {
    expect(redactText('value 12.345 in column amount12 and 12', ['12.345', '12'])).toBe(`value ${REDACTED} in column amount12 and ${REDACTED}`);
    expect(redactText('nothing to hide', [])).toBe('nothing to hide');
  });
});

describe('redactDeadLetter', () => {
  it('redacts the value, the reason and the value details and keeps key, headers, coordinates and column names', () => {
    const letter = letterOf(JSON.stringify(debeziumEvent));
    const redacted = redactDeadLetter(letter);
    const text = JSON.stringify(redacted);
    for (const secret of ['ada@example.com', '12.345', 'Paris', 'vip']) expect(text).not.toContain(secret);
    expect(redacted.message).toBe(`entity "Payment", column "amount": ${REDACTED} has more digits than allowed; email ${REDACTED}`);
    expect(redacted.details).toEqual({ entity: 'Payment', column: 'amount', value: REDACTED, path: '$.amount' });
    expect(redacted.original).toMatchObject({ topic: 'p.public.payments', partition: 2, offset: '17', key: '{"payload":{"id":42}}', headers: { h: '1' }, encoding: 'utf8' });
    expect(Object.keys(JSON.parse(redacted.original.value as string).payload.after)).toEqual(['id', 'email', 'amount', 'tags', 'address', 'note']);
    expect(redacted.original.redacted).toEqual({
      valueBytes: Buffer.byteLength(letter.original.value as string),
      rest: 'row values are redacted (PG2DDB_REDACT_VALUES); the whole message is at p.public.payments/2/17 (topic/partition/offset) while that topic\'s retention keeps it',
    });
    expect(redactDeadLetter(redacted)).toBe(redacted);
  });

  it('keeps nothing of a cut original (it cannot be parsed) and no longer calls it truncated', () => {
    const letter = letterOf('{"payload":{"after":{"email":"ada@exa', {});
    letter.original.truncated = { valueBytes: 900000, keptChars: 38, rest: 'elsewhere' };
    const redacted = redactDeadLetter(letter);
    expect(redacted.original.value).toBeNull();
    expect(redacted.original.truncated).toBeUndefined();
    expect(redacted.original.redacted?.valueBytes).toBe(900000);
  });
});

describe('redactDriftEvent', () => {
  it('keeps key, source key and attribute names, hides values but not their types, and stays schema-valid', () => {
    const event: DriftEvent = {
      v: 1,
      type: 'drift',
      kind: 'mismatch',
      entity: 'Payment',
      sourceKey: { id: 42 },
      table: 'Payments',
      key: { pk: { S: 'PAY#42' } },
      attributes: [
        { name: 'email', expected: { S: 'ada@example.com' }, actual: { S: 'bob@example.com' } },
        { name: 'amount', expected: { N: '12.5' }, actual: null },
        { name: 'address', expected: { M: { city: { S: 'Paris' } } }, actual: { NULL: true } },
      ],
      expectedVersion: '00ab',
      actualVersion: null,
      runId: 'r1',
      detectedAt: '2026-12-04T00:00:00.000Z',
    };
    const redacted = redactDriftEvent(event);
    expect(redacted.attributes).toEqual([
      { name: 'email', expected: { S: REDACTED }, actual: { S: REDACTED } },
      { name: 'amount', expected: { S: '[redacted N]' }, actual: null },
      { name: 'address', expected: { M: { city: { S: REDACTED } } }, actual: { NULL: true } },
    ]);
    expect(redacted.key).toEqual(event.key);
    expect(redacted.sourceKey).toEqual({ id: 42 });
    expect(validateDriftMessage(redacted)).toEqual({ ok: true, value: redacted });
  });
});
