import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The way back (DynamoDB → PostgreSQL), see docs/rollback.md:
 * - `inbound_items`: per DynamoDB item, the version (stream sequence number) last applied, whether
 *   it is deleted (a tombstone refusing older changes), the row it maps to and its image (to
 *   rebuild a row that two items map to during a key change). The PostgreSQL writer's guard.
 * - `ddb_source_positions`: the DynamoDB source's checkpoints: scan segments and stream shards.
 * - `sync_directions` / `direction_switches`: which way each entity syncs, and every switch.
 */
export class WayBack1764850000000 implements MigrationInterface {
  name = 'WayBack1764850000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS pg2ddb`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS pg2ddb.inbound_items (
        topic_prefix text        NOT NULL,
        entity       text        NOT NULL,
        item_key     text        NOT NULL,
        row_key      text        NOT NULL,
        version      numeric     NOT NULL,
        deleted      boolean     NOT NULL,
        image        jsonb,
        updated_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (topic_prefix, entity, item_key)
      )`);
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS inbound_items_row_idx ON pg2ddb.inbound_items (topic_prefix, entity, row_key) WHERE NOT deleted`,
    );
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS pg2ddb.ddb_source_positions (
        topic_prefix text        NOT NULL,
        table_name   text        NOT NULL,
        kind         text        NOT NULL CHECK (kind IN ('scan', 'segment', 'shard')),
        id           text        NOT NULL,
        position     jsonb       NOT NULL,
        done         boolean     NOT NULL DEFAULT false,
        updated_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (topic_prefix, table_name, kind, id)
      )`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS pg2ddb.sync_directions (
        topic_prefix text        NOT NULL,
        entity       text        NOT NULL,
        direction    text        NOT NULL CHECK (direction IN ('pg-to-ddb', 'ddb-to-pg', 'switching')),
        since        jsonb       NOT NULL DEFAULT '{}',
        switched_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (topic_prefix, entity)
      )`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS pg2ddb.direction_switches (
        id             bigserial   PRIMARY KEY,
        topic_prefix   text        NOT NULL,
        entity         text        NOT NULL,
        from_direction text        NOT NULL,
        to_direction   text        NOT NULL,
        switched_at    timestamptz NOT NULL DEFAULT now(),
        evidence       jsonb       NOT NULL DEFAULT '{}'
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['direction_switches', 'sync_directions', 'ddb_source_positions', 'inbound_items']) {
      await queryRunner.query(`DROP TABLE IF EXISTS pg2ddb.${table}`);
    }
  }
}
