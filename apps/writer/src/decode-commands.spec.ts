import type { KafkaMessage } from 'kafkajs';
import { decodeCommands } from './decode-commands';

const message = (value: string | null, offset: string): KafkaMessage => ({
  key: null, value: value === null ? null : Buffer.from(value), offset, timestamp: '0', attributes: 0, headers: {},
});
const good = {
  v: 1, op: 'delete', table: 'Payments', key: { PK: { S: 'a' } }, entity: 'Payment', version: `${'0'.repeat(32)}0`, source: {},
};

const scope = { table: 'Payments', maxEpoch: 0 };

describe('decodeCommands', () => {
  it('keeps good commands in order, skips tombstones and names what is wrong with the rest', () => {
    const { commands, origins, bad } = decodeCommands([
      message(JSON.stringify(good), '1'),
      message(null, '2'),
      message('nope', '3'),
      message(JSON.stringify({ ...good, op: 'merge' }), '4'),
      message(JSON.stringify({ ...good, key: { PK: { S: 'b' } } }), '5'),
    ], scope);
    expect(commands.map((command) => command.key)).toEqual([{ PK: { S: 'a' } }, { PK: { S: 'b' } }]);
    expect(origins.map((origin) => origin.offset)).toEqual(['1', '5']);
    expect(bad.map(({ message: m, code, reason }) => [m.offset, code, reason])).toEqual([
      ['3', 'WRITER_MALFORMED_COMMAND', expect.stringMatching(/^not JSON: Unexpected token/)],
      ['4', 'WRITER_MALFORMED_COMMAND', 'unknown op "merge"'],
    ]);
  });

  it('dead-letters a command for another table and one whose version no source can produce', () => {
    const { commands, bad } = decodeCommands(
      [
        message(JSON.stringify({ ...good, table: 'Users' }), '1'),
        message(JSON.stringify({ ...good, table: 'Payments-tombstones' }), '2'),
        message(JSON.stringify({ ...good, version: `${'f'.repeat(32)}1` }), '3'),
        message(JSON.stringify({ ...good, version: `0001${'0'.repeat(32)}1` }), '4'),
        message(JSON.stringify(good), '5'),
      ],
      scope,
    );
    expect(commands).toHaveLength(1);
    expect(bad.map(({ message: m, code, reason }) => [m.offset, code, reason])).toEqual([
      ['1', 'WRITER_TABLE_NOT_ALLOWED', 'table "Users" is not this writer\'s table "Payments" (PG2DDB_MAPPING_FILE)'],
      ['2', 'WRITER_TABLE_NOT_ALLOWED', 'table "Payments-tombstones" is not this writer\'s table "Payments" (PG2DDB_MAPPING_FILE)'],
      ['3', 'WRITER_VERSION_OUT_OF_RANGE', `version ${'f'.repeat(32)}1 carries LSN FFFFFFFF/FFFFFFFF, beyond 10000/0 (256 TiB of WAL), which no source produces`],
      ['4', 'WRITER_VERSION_OUT_OF_RANGE', `version 0001${'0'.repeat(32)}1 has source epoch 1, above this deployment's PG2DDB_SOURCE_EPOCH=0`],
    ]);
    expect(decodeCommands([message(JSON.stringify({ ...good, version: `0001${'0'.repeat(32)}1` }), '1')], { ...scope, maxEpoch: 1 }).commands).toHaveLength(1);
  });
});

describe('decodeCommands with snapshot sweeps', () => {
  const sweep = {
    v: 1, op: 'sweep', table: 'Payments', entity: 'Payment', entityType: { attribute: '_type', value: 'Payment' }, keyAttributes: ['PK', 'SK'],
    version: `${'0'.repeat(32)}0`, source: {},
  };

  it('sets sweeps apart from commands and dead-letters a malformed one with the reason', () => {
    const { commands, sweeps, bad } = decodeCommands([
      message(JSON.stringify(good), '1'),
      message(JSON.stringify(sweep), '2'),
      message(JSON.stringify({ ...sweep, keyAttributes: [] }), '3'),
    ], scope);
    expect(commands).toHaveLength(1);
    expect(sweeps).toEqual([sweep]);
    expect(bad.map(({ message: m, reason }) => [m.offset, reason])).toEqual([['3', 'keyAttributes must name the partition key and, if any, the sort key']]);
  });

  it('dead-letters a sweep of another table or at a version no source can produce: a forged one must not delete an entity', () => {
    const { sweeps, bad } = decodeCommands(
      [
        message(JSON.stringify({ ...sweep, table: 'Users' }), '1'),
        message(JSON.stringify({ ...sweep, version: `${'f'.repeat(32)}0` }), '2'),
        message(JSON.stringify(sweep), '3'),
      ],
      scope,
    );
    expect(sweeps).toEqual([sweep]);
    expect(bad.map(({ message: m, code, reason }) => [m.offset, code, reason])).toEqual([
      ['1', 'WRITER_TABLE_NOT_ALLOWED', 'table "Users" is not this writer\'s table "Payments" (PG2DDB_MAPPING_FILE)'],
      ['2', 'WRITER_VERSION_OUT_OF_RANGE', `version ${'f'.repeat(32)}0 carries LSN FFFFFFFF/FFFFFFFF, beyond 10000/0 (256 TiB of WAL), which no source produces`],
    ]);
  });
});
