import type { DeadLetter } from '@pg2ddb/contracts';
import { deadLetterSummary, type ListedLetter } from './dead-letters';

const letter = (stage: DeadLetter['stage'], code: string): DeadLetter => ({
  v: 1,
  stage,
  code,
  message: 'm',
  original: { topic: 't', partition: 0, offset: '0', key: null, value: null, encoding: 'utf8', headers: {}, timestamp: '0' },
  failedAt: '2026-01-01T00:00:00Z',
});
const listed = (entry: Partial<ListedLetter>): ListedLetter => ({ partition: 0, offset: '0', replayed: false, letter: null, ...entry });

describe('dead letter summary', () => {
  it('counts letters by stage and code, total and awaiting replay, largest first', () => {
    const summary = deadLetterSummary([
      listed({ letter: letter('writer', 'DYNAMO_ITEM_TOO_LARGE'), replayed: true }),
      listed({ letter: letter('transformer', 'MAPPING_EMPTY_KEY') }),
      listed({ letter: letter('transformer', 'MAPPING_EMPTY_KEY'), replayed: true }),
      listed({ letter: letter('writer', 'DYNAMO_ITEM_TOO_LARGE') }),
      listed({ letter: letter('transformer', 'MAPPING_EMPTY_KEY') }),
      listed({ unreadable: 'not JSON' }),
    ]);
    expect(summary).toEqual([
      { stage: 'transformer', code: 'MAPPING_EMPTY_KEY', total: 3, pending: 2 },
      { stage: 'writer', code: 'DYNAMO_ITEM_TOO_LARGE', total: 2, pending: 1 },
      { stage: '?', code: 'UNREADABLE', total: 1, pending: 1 },
    ]);
    expect(deadLetterSummary([])).toEqual([]);
  });
});
