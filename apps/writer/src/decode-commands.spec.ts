import type { KafkaMessage } from 'kafkajs';
import { decodeCommands } from './decode-commands';

const message = (value: string | null, offset: string): KafkaMessage => ({
  key: null, value: value === null ? null : Buffer.from(value), offset, timestamp: '0', attributes: 0, headers: {},
});
const good = {
  v: 1, op: 'delete', table: 'Payments', key: { PK: { S: 'a' } }, entity: 'Payment', version: `${'0'.repeat(32)}0`, source: {},
};

describe('decodeCommands', () => {
  it('keeps good commands in order, skips tombstones and names what is wrong with the rest', () => {
    const { commands, origins, bad } = decodeCommands([
      message(JSON.stringify(good), '1'),
      message(null, '2'),
      message('nope', '3'),
      message(JSON.stringify({ ...good, op: 'merge' }), '4'),
      message(JSON.stringify({ ...good, key: { PK: { S: 'b' } } }), '5'),
    ]);
    expect(commands.map((command) => command.key)).toEqual([{ PK: { S: 'a' } }, { PK: { S: 'b' } }]);
    expect(origins.map((origin) => origin.offset)).toEqual(['1', '5']);
    expect(bad.map(({ message: m, code, reason }) => [m.offset, code, reason])).toEqual([
      ['3', 'WRITER_MALFORMED_COMMAND', expect.stringMatching(/^not JSON: Unexpected token/)],
      ['4', 'WRITER_MALFORMED_COMMAND', 'unknown op "merge"'],
    ]);
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
    ]);
    expect(commands).toHaveLength(1);
    expect(sweeps).toEqual([sweep]);
    expect(bad.map(({ message: m, reason }) => [m.offset, reason])).toEqual([['3', 'keyAttributes must name the partition key and, if any, the sort key']]);
  });
});
