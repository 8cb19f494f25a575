import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reconciler's run history: one row per entity and run. `status` and `cutover-check` read the
 * latest run per (topic_prefix, entity) from it, hence the index.
 */
export class ReconciliationRuns1763770000000 implements MigrationInterface {
  name = 'ReconciliationRuns1763770000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS pg2ddb`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS pg2ddb.reconciliation_runs (
        run_id            uuid        NOT NULL,
        topic_prefix      text        NOT NULL,
        table_name        text        NOT NULL,
        entity            text        NOT NULL,
        mode              text        NOT NULL CHECK (mode IN ('count', 'sample', 'full', 'recent')),
        started_at        timestamptz NOT NULL,
        finished_at       timestamptz,
        checked           bigint      NOT NULL DEFAULT 0,
        matched           bigint      NOT NULL DEFAULT 0,
        missing           bigint      NOT NULL DEFAULT 0,
        unexpected        bigint      NOT NULL DEFAULT 0,
        mismatch          bigint      NOT NULL DEFAULT 0,
        in_flight         bigint      NOT NULL DEFAULT 0,
        consistency_rate  double precision,
        repaired          bigint      NOT NULL DEFAULT 0,
        status            text        NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
        error             text,
        PRIMARY KEY (run_id, entity)
      )`);
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS reconciliation_runs_latest_idx ON pg2ddb.reconciliation_runs (topic_prefix, entity, started_at DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS pg2ddb.reconciliation_runs`);
  }
}
