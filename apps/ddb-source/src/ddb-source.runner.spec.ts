import type { EntityDirection } from '@pg2ddb/postgres';

import { wayBackAllowed } from './ddb-source.runner';

const direction = (entity: string, value: EntityDirection['direction'], since: Record<string, unknown> = {}): EntityDirection => ({ entity, direction: value, since, switchedAt: new Date(0) });

describe('wayBackAllowed (one direction per entity at a time)', () => {
  it('runs only when every entity of the table syncs ddb-to-pg, or drains that way', () => {
    expect(wayBackAllowed(['A', 'B'], [direction('A', 'ddb-to-pg'), direction('B', 'ddb-to-pg')])).toBe(true);
    expect(wayBackAllowed(['A', 'B'], [direction('A', 'ddb-to-pg'), direction('B', 'switching', { from: 'ddb-to-pg' })])).toBe(true);
  });

  it('stays idle when an entity syncs the other way, is switching to it, or was never switched', () => {
    expect(wayBackAllowed(['A', 'B'], [direction('A', 'ddb-to-pg'), direction('B', 'pg-to-ddb')])).toBe(false);
    expect(wayBackAllowed(['A'], [direction('A', 'switching', { from: 'pg-to-ddb' })])).toBe(false);
    expect(wayBackAllowed(['A', 'B'], [direction('A', 'ddb-to-pg')])).toBe(false);
    expect(wayBackAllowed(['A'], [])).toBe(false);
  });
});
