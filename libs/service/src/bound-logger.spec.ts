import { bindLogger, type LineLogger } from './bound-logger';
import { StructuredLogger } from './structured-logger';

describe('bindLogger', () => {
  it("puts the batch's fields on every line, with the line's own", () => {
    const lines: string[] = [];
    const structured = new StructuredLogger('writer', 'json', 'log', {}, (line) => lines.push(line));
    const log = bindLogger(structured as LineLogger, { topic: 't.writes', partition: 3, firstOffset: '10', lastOffset: '19' });
    log.warn('dead-lettered 1 write command(s)', { code: 'DYNAMO_ITEM_TOO_LARGE' });
    log.log('swept');
    const [first, second] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(first).toMatchObject({ level: 'warn', msg: 'dead-lettered 1 write command(s)', topic: 't.writes', partition: 3, firstOffset: '10', lastOffset: '19', code: 'DYNAMO_ITEM_TOO_LARGE' });
    expect(second).toMatchObject({ level: 'log', msg: 'swept', topic: 't.writes', partition: 3 });
    expect(second).not.toHaveProperty('code');
  });
});
