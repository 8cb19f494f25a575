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
