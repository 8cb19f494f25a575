import { StructuredLogger } from './structured-logger';

describe('StructuredLogger', () => {
  it('writes one JSON object per line with bound context', () => {
    const lines: string[] = [];
    const logger = new StructuredLogger('writer', 'json', 'log', {}, (line) => lines.push(line)).child({ topic: 't', partition: 1 });
    logger.warn('slow', { offset: '5', lsn: 10n });
    logger.debug('hidden');
    expect(lines).toHaveLength(1);
    const parsed = JSON.parse(lines[0] as string);
    expect(parsed).toMatchObject({ level: 'warn', service: 'writer', msg: 'slow', topic: 't', partition: 1, offset: '5', lsn: '10' });
  });

  it('keeps Nest context names and formats pretty lines', () => {
    const lines: string[] = [];
    new StructuredLogger('cli', 'pretty', 'log', {}, (line) => lines.push(line)).log('hello', 'Bootstrap');
    expect(lines[0]).toMatch(/ LOG   \[cli\] hello context=Bootstrap$/);
  });
});
