import { parseAttributePath } from './attribute-path';
import { DynamoErrorCode } from '../sdk/dynamo-error';

describe('parseAttributePath', () => {
  it.each([
    ['status', { name: 'status', child: undefined }],
    ['items.42', { name: 'items', child: '42' }],
    ['items.v1.2.3', { name: 'items', child: 'v1.2.3' }],
    ['lines.#a:b c', { name: 'lines', child: '#a:b c' }],
    ['größe.子', { name: 'größe', child: '子' }],
  ])('%s', (path, expected) => {
    expect(parseAttributePath(path)).toEqual(expected);
  });

  it.each(['', '.child', 'items.'])('rejects %j as a permanent INVALID_COMMAND', (path) => {
    expect(() => parseAttributePath(path)).toThrow(expect.objectContaining({ code: DynamoErrorCode.INVALID_COMMAND, retriable: false }));
  });
});
