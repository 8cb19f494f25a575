import { readFileSync, writeFileSync } from 'node:fs';
import type { AttributeMap } from '@pg2ddb/contracts';
import { eventually, TestPipeline } from '@pg2ddb/testing';
import { runCli } from './cli-support';
import { ORDERS_BY_REGION_MAPPING, ordersTableSql } from './orders-by-region';

// Dead letters after a fix: a row the mapping cannot key (its key column is NULL) is
// dead-lettered by the transformer; the operator fixes the mapping, restarts the transformer and
// runs `pg2ddb dlq replay`: the row arrives, nothing else changes, and replaying again is harmless.
const mapping = ORDERS_BY_REGION_MAPPING;

describe('pg2ddb dlq list | replay on the real stack', () => {
  let pipeline: TestPipeline;
  let env: Record<string, string>;

  const cli = (...args: string[]) => runCli([...args, '--mapping', pipeline.mappingFile], env);

  beforeAll(async () => {
    pipeline = await TestPipeline.start({
      mapping,
      schemaSql: ordersTableSql(`VALUES (1, 'EU', 10), (2, NULL, 20), (3, 'US', 30)`),
    });
    env = { ...pipeline.env, PG2DDB_TOPIC_PREFIX: pipeline.names.prefix };
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  it('lists the dead letter with its code and reason, and exits 1 while it awaits replay', async () => {
    await eventually(async () => expect((await pipeline.items()).length).toBe(2), { timeoutMs: 60_000 });
    const listed = await eventually(async () => {
      const result = cli('dlq', 'list', '--json');
      expect(result.status).toBe(1);
      return JSON.parse(result.stdout) as { total: number; pending: number; letters: Array<{ replayed: boolean; letter: { stage: string; code: string; message: string; original: { topic: string } } }> };
    }, { timeoutMs: 30_000 });
    expect(listed.total).toBe(1);
    expect(listed.pending).toBe(1);
    expect(listed.letters[0]).toMatchObject({
      replayed: false,
      letter: { stage: 'transformer', code: 'MAPPING_EMPTY_KEY', original: { topic: `${pipeline.names.prefix}.${pipeline.names.schema}.orders` } },
    });
    expect(listed.letters[0]?.letter.message).toMatch(/region/);

    const human = cli('dlq', 'list');
    expect(human.stdout).toMatch(/MAPPING_EMPTY_KEY/);
    expect(human.stdout).toMatch(/1 dead letter\(s\), 1 awaiting replay; by code: MAPPING_EMPTY_KEY 1/);
  });

  it('re-submits the letter after the mapping is fixed; the item arrives and nothing else changes', async () => {
    const before = await pipeline.items();
    const definition = JSON.parse(readFileSync(pipeline.mappingFile, 'utf8')) as { entities: Array<{ key: { pk: string } }> };
    (definition.entities[0] as { key: { pk: string } }).key.pk = 'ORDER#{id}';
    writeFileSync(pipeline.mappingFile, JSON.stringify(definition, null, 2));
    await pipeline.restartService('transformer');

    const dry = cli('dlq', 'replay', '--dry-run');
    expect(dry.status).toBe(0);
    expect(dry.stdout).toMatch(/would re-submit 1 dead letter\(s\) of 1 not replayed before/);

    const replayed = cli('dlq', 'replay');
    expect(replayed.status).toBe(0);
    expect(replayed.stdout).toMatch(/re-submitted 1 dead letter\(s\) of 1 not replayed before/);
    expect(replayed.stdout).toContain(`→ ${pipeline.names.prefix}.${pipeline.names.schema}.orders: 1`);

    const key: AttributeMap = { PK: { S: 'ORDER#2' }, SK: { S: 'ORDER#2' } };
    await eventually(async () => expect(await pipeline.item(key)).toMatchObject({ total: { N: '20' } }), { timeoutMs: 60_000 });
    const after = await pipeline.items();
    expect(after).toHaveLength(before.length + 1);
    for (const item of before) expect(after).toContainEqual(item);

    const listed = cli('dlq', 'list', '--json');
    expect(listed.status).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject({ total: 1, pending: 0, letters: [{ replayed: true }] });
  });

  it('is idempotent: a second replay sends nothing, and a replay from the start changes nothing', async () => {
    const again = cli('dlq', 'replay');
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/re-submitted 0 dead letter\(s\) of 0 not replayed before/);

    const before = await pipeline.items();
    const fromStart = cli('dlq', 'replay', '--from-start', '--json');
    expect(fromStart.status).toBe(0);
    expect(JSON.parse(fromStart.stdout)).toMatchObject({ fromStart: true, considered: 1, sent: [{ code: 'MAPPING_EMPTY_KEY' }] });
    // The transformer maps it again; the writer refuses the same version: the table is unchanged.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await pipeline.items()).toEqual(before);
  });

  it('rejects a wrong action with a usage error', () => {
    const result = cli('dlq', 'purge');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/expected 'list' or 'replay', got "purge"/);
  });
});
