import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The operations history besides reconciliations: loads, snapshots, DLQ replays and cut-over
 * checks, one row each (written through the `RunHistoryEntity` TypeORM entity). `pg2ddb history`
 * and the status page read it newest first per deployment, hence the index.
 */
export class RunHistory1764800000000 implements MigrationInterface {
  name = 'RunHistory1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS pg2ddb.run_history (
        id            uuid        PRIMARY KEY,
        kind          text        NOT NULL CHECK (kind IN ('load', 'snapshot', 'replay', 'cutover-check')),
        topic_prefix  text        NOT NULL,
        entity        text,
        started_at    timestamptz NOT NULL,
        finished_at   timestamptz,
        status        text        NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
        summary       jsonb       NOT NULL DEFAULT '{}'::jsonb,
        error         text
      )`);
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS run_history_latest_idx ON pg2ddb.run_history (topic_prefix, started_at DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS pg2ddb.run_history`);
  }
}
