import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createPgPool, listRunHistory, migratePg2ddbSchema, recordRunFinished, recordRunStarted, RunHistory } from '@pg2ddb/postgres';
import { pgConnection, randomId, readStackEnv } from '@pg2ddb/testing';
import type { Pool } from 'pg';

import { runCli } from './cli-support';

// The run history on the real PostgreSQL: a DLQ replay run by the cli is recorded through the
// TypeORM entity (a dry run is not), a reconciliation recorded by the reconciler's own path sits
// beside it, and `pg2ddb history` and `listRunHistory` read both, newest first, for one
// deployment (topic prefix) only.
const mapping = join(__dirname, '../../../examples/payments/mapping.yaml');

describe('run history', () => {
  const env = readStackEnv();
  const connection = pgConnection(env);
  const prefix = randomId('hist');
  let pool: Pool;

  beforeAll(async () => {
    pool = createPgPool(connection);
    await migratePg2ddbSchema(pool, connection);
  });

  afterAll(async () => {
    await pool?.query(`DELETE FROM pg2ddb.run_history WHERE topic_prefix = $1`, [prefix]).catch(() => undefined);
    await pool?.query(`DELETE FROM pg2ddb.reconciliation_runs WHERE topic_prefix = $1`, [prefix]).catch(() => undefined);
    await pool?.end();
  });

  it('records cli operations and lists them with reconciliation runs, newest first', async () => {
    const runId = randomUUID();
    const startedAt = new Date(Date.now() - 60_000);
    await recordRunStarted(pool, { runId, topicPrefix: prefix, tableName: 'pg2ddb-demo', entity: 'Payment', mode: 'full', startedAt });
    await recordRunFinished(pool, {
      runId,
      entity: 'Payment',
      finishedAt: new Date(startedAt.getTime() + 2000),
      checked: 10,
      matched: 9,
      missing: 1,
      unexpected: 0,
      mismatch: 0,
      inFlight: 0,
      consistencyRate: 0.9,
      repaired: 0,
      status: 'succeeded',
      error: null,
    });

    const cliEnv = { PG2DDB_TOPIC_PREFIX: prefix };
    expect(runCli(['dlq', 'replay', '--dry-run', '--mapping', mapping, '--json'], cliEnv).status).toBe(0);
    const replay = runCli(['dlq', 'replay', '--mapping', mapping, '--json'], cliEnv);
    expect(replay.stderr).not.toContain('run history not');
    expect(replay.status).toBe(0);

    const listed = runCli(['history', '--mapping', mapping, '--json'], cliEnv);
    expect(listed.status).toBe(0);
    const report = JSON.parse(listed.stdout) as { topicPrefix: string; entries: Array<Record<string, unknown>> };
    expect(report.topicPrefix).toBe(prefix);
    expect(report.entries).toEqual([
      expect.objectContaining({
        kind: 'replay',
        topicPrefix: prefix,
        entity: null,
        status: 'succeeded',
        error: null,
        summary: { args: ['replay'], exitCode: 0, report: { dryRun: false, fromStart: false, considered: 0, sent: [], skipped: [] } },
      }),
      expect.objectContaining({
        id: `${runId}/Payment`,
        kind: 'reconcile',
        entity: 'Payment',
        status: 'succeeded',
        startedAt: startedAt.toISOString(),
        summary: { runId, mode: 'full', table: 'pg2ddb-demo', checked: 10, matched: 9, missing: 1, unexpected: 0, mismatch: 0, inFlight: 0, repaired: 0, consistencyRate: 0.9 },
      }),
    ]);
    expect(Date.parse(report.entries[0]!.finishedAt as string)).toBeGreaterThanOrEqual(Date.parse(report.entries[0]!.startedAt as string));

    const text = runCli(['history', '--mapping', mapping, '--kind', 'reconcile'], cliEnv);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(`pg2ddb history — prefix ${prefix}, 1 entry`);
    expect(text.stdout).toMatch(/reconcile\s+Payment\s+succeeded\s+2\.0 s\s+full: checked 10, missing 1, unexpected 0, mismatch 0, in flight 0/);
    const bad = runCli(['history', '--mapping', mapping, '--kind', 'nap'], cliEnv);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--kind must be one of reconcile, load, snapshot, replay, cutover-check (got "nap")');
  });

  it('keeps a failed operation with its error, and reads only the deployment asked for', async () => {
    const history = await RunHistory.open(pool, connection);
    try {
      const id = await history.started({ kind: 'snapshot', topicPrefix: prefix, entity: 'Payment', summary: { where: 'id < 10' } });
      await history.finished(id, { status: 'failed', error: 'connector FAILED' });
      const other = await history.started({ kind: 'snapshot', topicPrefix: `${prefix}x`, entity: 'Payment' });
      await history.finished(other, { status: 'succeeded' });
    } finally {
      await history.close();
    }
    const snapshots = await listRunHistory(connection, { topicPrefix: prefix, kinds: ['snapshot'] });
    expect(snapshots).toEqual([
      expect.objectContaining({ kind: 'snapshot', topicPrefix: prefix, entity: 'Payment', status: 'failed', error: 'connector FAILED', summary: { where: 'id < 10' } }),
    ]);
    expect(snapshots[0]!.finishedAt).toBeInstanceOf(Date);
    await pool.query(`DELETE FROM pg2ddb.run_history WHERE topic_prefix = $1`, [`${prefix}x`]);
  });
});
