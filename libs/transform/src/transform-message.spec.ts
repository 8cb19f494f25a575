import { compileMapping, loadMapping } from '@pg2ddb/mapping';
import { transformMessage, type ChangeMessage } from './transform-message';

const mapping = compileMapping(
  loadMapping(
    `
table: { name: Accounts, partitionKey: { name: PK, type: S } }
entities:
  - name: Account
    source: { schema: public, table: accounts }
    primaryKey: [id]
    columns: { id: bigint, balance: numeric }
    key: { pk: "ACCOUNT#{id}" }
`,
    'test.yaml',
  ),
);

const schema = {
  type: 'struct',
  fields: [
    { type: 'struct', field: 'before', optional: true, fields: [{ type: 'int64', field: 'id' }, { type: 'string', field: 'balance', optional: true }] },
    { type: 'struct', field: 'after', optional: true, fields: [{ type: 'int64', field: 'id' }, { type: 'string', field: 'balance', optional: true }] },
  ],
};
const source = { ts_ms: 1700000000000, db: 'app', schema: 'public', table: 'accounts', lsn: 4096, sequence: '["1000","4096"]', txId: 77, snapshot: 'false' };

// Debezium keys a change by its primary key: by default the key names the value's own id.
function message(value: string | null, offset = '12', key: string | null = defaultKey(value)): ChangeMessage {
  return { key: key === null ? null : Buffer.from(key), value: value === null ? null : Buffer.from(value), offset };
}

function defaultKey(value: string | null): string | null {
  const id = value === null ? undefined : /"id":(-?\d+)/.exec(value)?.[1];
  return id === undefined ? null : `{"schema":{"type":"struct","fields":[{"type":"int64","field":"id"}]},"payload":{"id":${id}}}`;
}

describe('transformMessage', () => {
  it('maps an event to versioned commands that point back at their source', () => {
    const event = { schema, payload: { before: null, after: { id: 9007199254740993, balance: '12.50' }, source, op: 'c' } };
    // The id is beyond 2^53: written as raw JSON digits it must stay exact.
    const raw = JSON.stringify(event).replace('9007199254740992', '9007199254740993');
    const outcome = transformMessage(mapping, 'p.public.accounts', 3, message(raw));
    expect(outcome).toEqual({
      kind: 'commands',
      commands: [
        expect.objectContaining({
          op: 'put',
          key: { PK: { S: 'ACCOUNT#9007199254740993' } },
          version: '00000000000003e800000000000010001',
          source: {
            topic: 'p.public.accounts', partition: 3, offset: '12', schema: 'public', table: 'accounts', lsn: '4096', txId: '77', snapshot: false, committedAtMs: 1700000000000,
          },
        }),
      ],
    });
  });

  it('skips Kafka tombstones and Debezium logical messages', () => {
    expect(transformMessage(mapping, 't', 0, message(null))).toEqual({ kind: 'skip' });
    expect(transformMessage(mapping, 't', 0, message(JSON.stringify({ payload: { op: 'm', source } })))).toEqual({ kind: 'skip' });
  });

  it('dead-letters bytes that are not JSON, naming where they came from', () => {
    const outcome = transformMessage(mapping, 'p.public.accounts', 1, message('{not json', '44'));
    expect(outcome).toMatchObject({ kind: 'dead', code: 'TRANSFORMER_MALFORMED_EVENT' });
    expect(outcome.kind === 'dead' && outcome.message).toMatch(/^p\.public\.accounts\[1\]@44: /);
  });

  it('dead-letters JSON that is not a Debezium envelope', () => {
    expect(transformMessage(mapping, 't', 0, message('{"after":{}}'))).toEqual({
      kind: 'dead',
      code: 'TRANSFORMER_MALFORMED_EVENT',
      message: 't[0]@12: not a Debezium envelope: no payload (is value.converter.schemas.enable=true?)',
    });
    expect(transformMessage(mapping, 't', 0, message('{"payload":{"after":{}}}'))).toMatchObject({
      kind: 'dead',
      message: 't[0]@12: not a Debezium change event: missing op or source',
    });
  });

  it('dead-letters an unmappable value with the mapping error code and details', () => {
    const event = { schema, payload: { before: null, after: { id: 1, balance: '1'.repeat(39) }, source, op: 'c' } };
    const outcome = transformMessage(mapping, 't', 0, message(JSON.stringify(event)));
    expect(outcome).toMatchObject({ kind: 'dead', code: 'MAPPING_NUMBER_OUT_OF_RANGE', details: expect.objectContaining({ column: 'balance' }) });
  });

  it('dead-letters an event without a usable position', () => {
    const event = { schema, payload: { before: null, after: { id: 1 }, source: { ...source, lsn: null, sequence: null }, op: 'c' } };
    expect(transformMessage(mapping, 't', 0, message(JSON.stringify(event)))).toEqual({
      kind: 'dead',
      code: 'SOURCE_POSITION_INVALID',
      message: 'change event has neither source.lsn nor source.sequence',
    });
  });

  it('dead-letters an event whose Kafka key names another row than its value (no phantom item)', () => {
    const event = { schema, payload: { before: null, after: { id: 7, balance: '1' }, source, op: 'c' } };
    const wrongKey = '{"schema":{"type":"struct","fields":[{"type":"int64","field":"id"}]},"payload":{"id":8}}';
    expect(transformMessage(mapping, 't', 0, message(JSON.stringify(event), '12', wrongKey))).toEqual({
      kind: 'dead',
      code: 'MAPPING_KEY_MISMATCH',
      message: 'the Kafka key of the c event for public.accounts does not match its value: key id=8, "after" id=7',
      details: { source: 'public.accounts', column: 'id', key: '8', value: '7' },
    });
    const deleted = { schema, payload: { before: { id: 7 }, after: null, source, op: 'd' } };
    expect(transformMessage(mapping, 't', 0, message(JSON.stringify(deleted), '12', '{"id":9}'))).toMatchObject({ kind: 'dead', code: 'MAPPING_KEY_MISMATCH' });
    expect(transformMessage(mapping, 't', 0, message(JSON.stringify(deleted), '12', '{"id":7}'))).toMatchObject({ kind: 'commands' });
    expect(transformMessage(mapping, 't', 0, message(JSON.stringify(event), '12', 'not json'))).toMatchObject({ kind: 'dead', code: 'MAPPING_KEY_MISMATCH' });
    expect(transformMessage(mapping, 't', 0, message(JSON.stringify(event), '12', '{"account":7}'))).toMatchObject({
      kind: 'dead',
      message: 'the Kafka key of the c event for public.accounts does not match its value: key account=7, "after" has no column "account"',
    });
  });

  it('dead-letters a change event without a key', () => {
    const event = { schema, payload: { before: null, after: { id: 7, balance: '1' }, source, op: 'c' } };
    expect(transformMessage(mapping, 't', 0, message(JSON.stringify(event), '12', null))).toMatchObject({ kind: 'dead', code: 'MAPPING_KEY_MISSING' });
  });

  it('asks for a sweep after the last row a snapshot reads from the table, even when the row itself cannot be mapped', () => {
    const last = { ...source, lsn: 8192, sequence: null, snapshot: 'last_in_data_collection' };
    const mapped = transformMessage(mapping, 'p.public.accounts', 0, message(JSON.stringify({ schema, payload: { before: null, after: { id: 1, balance: '1' }, source: last, op: 'r' } })));
    expect(mapped).toMatchObject({
      kind: 'commands',
      sweep: { op: 'sweep', table: 'Accounts', entity: 'Account', entityType: { attribute: '_type', value: 'Account' }, keyAttributes: ['PK'], version: '00000000000020000000000000000000' + '0' },
    });
    const unmappable = transformMessage(mapping, 'p.public.accounts', 0, message(JSON.stringify({ schema, payload: { before: null, after: { id: 2, balance: 'x' }, source: last, op: 'r' } })));
    expect(unmappable).toMatchObject({ kind: 'dead', sweep: { op: 'sweep', entity: 'Account' } });
    const middle = transformMessage(mapping, 'p.public.accounts', 0, message(JSON.stringify({ schema, payload: { before: null, after: { id: 3, balance: '1' }, source: { ...last, snapshot: 'true' }, op: 'r' } })));
    expect(middle).not.toHaveProperty('sweep');
  });
});
