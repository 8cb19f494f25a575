import { eventually, TestPipeline } from '@pg2ddb/testing';
import { runCli } from './cli-support';
import { ORDERS_BY_REGION_MAPPING, ordersTableSql } from './orders-by-region';

// Issue 13, defect 7: a replay filtered by --code or --stage marked every letter as replayed (the
// group's offsets moved over the letters it left out), so `cutover-check` could say "DLQ empty"
// with letters never re-sent. Replay progress is now kept per letter.
const mapping = ORDERS_BY_REGION_MAPPING;

interface Listed {
  total: number;
  pending: number;
  letters: Array<{ offset: string; replayed: boolean; rowKey?: string; letter: { code: string } }>;
}

describe('filtered dlq replay on the real stack', () => {
  let pipeline: TestPipeline;
  let env: Record<string, string>;
  const cli = (...args: string[]) => runCli([...args, '--mapping', pipeline.mappingFile], env);
  const list = (): Listed => JSON.parse(cli('dlq', 'list', '--json').stdout) as Listed;

  beforeAll(async () => {
    pipeline = await TestPipeline.start({
      mapping,
      schemaSql: ordersTableSql(`VALUES (1, 'EU', 10), (2, NULL, 20), (3, 'US', 1e130)`, { totalNotNull: false }),
    });
    env = { ...pipeline.env, PG2DDB_TOPIC_PREFIX: pipeline.names.prefix };
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  it('marks only the letters it re-sent; the others stay pending, each listed with its row key', async () => {
    const before = await eventually(() => {
      const listed = list();
      expect(listed.total).toBe(2);
      return listed;
    }, { timeoutMs: 90_000 });
    expect(before.letters.map((l) => [l.letter.code, l.rowKey, l.replayed])).toEqual([
      ['MAPPING_EMPTY_KEY', 'id=2', false],
      ['MAPPING_NUMBER_OUT_OF_RANGE', 'id=3', false],
    ]);
    expect(cli('dlq', 'list').stdout).toMatch(/row key/);

    const replayed = cli('dlq', 'replay', '--code', 'MAPPING_NUMBER_OUT_OF_RANGE');
    expect(replayed.status).toBe(0);
    expect(replayed.stdout).toMatch(/re-submitted 1 dead letter\(s\) matching MAPPING_NUMBER_OUT_OF_RANGE/);

    // The re-sent event fails again (the value is still too large) and comes back as a new letter.
    const after = await eventually(() => {
      const listed = list();
      expect(listed.total).toBe(3);
      return listed;
    }, { timeoutMs: 60_000 });
    expect(after.letters.map((l) => [l.letter.code, l.rowKey, l.replayed])).toEqual([
      ['MAPPING_EMPTY_KEY', 'id=2', false],
      ['MAPPING_NUMBER_OUT_OF_RANGE', 'id=3', true],
      ['MAPPING_NUMBER_OUT_OF_RANGE', 'id=3', false],
    ]);
    expect(after.pending).toBe(2);

    // A plain replay sends the two pending letters, not the one already re-sent.
    const rest = cli('dlq', 'replay');
    expect(rest.stdout).toMatch(/re-submitted 2 dead letter\(s\)/);
    // Those fail again too and come back as two new letters; the three handled ones stay replayed.
    const last = await eventually(() => {
      const listed = list();
      expect(listed.total).toBe(5);
      return listed;
    }, { timeoutMs: 60_000 });
    expect(last.letters.map((l) => l.replayed)).toEqual([true, true, true, false, false]);
    expect(last.pending).toBe(2);
  });
});
