import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPgPool, quoteIdent } from '@pg2ddb/postgres';
import { pgConnection, randomId, readStackEnv, testTempDir } from '@pg2ddb/testing';
import type { Pool } from 'pg';
import { runCli } from './cli-support';

// Issue 13, defect 16 (part): `validate` reported the valid years 0001 and 9999 as out of range
// even when --date-min/--date-max said 0001-01-01 .. 9999-12-31, and its REPLICA IDENTITY error
// spoke of deletes when every update of such a table is dead-lettered too.
interface Finding {
  check: string;
  severity: string;
  rows?: number;
  message: string;
}

describe('pg2ddb validate, operator-facing wording and bounds', () => {
  const env = readStackEnv();
  const schema = randomId('valop');
  const mappingFile = join(testTempDir(schema), 'mapping.yaml');
  let pg: Pool;
  const run = (args: string[]) => runCli(args, { PG2DDB_TOPIC_PREFIX: schema });

  beforeAll(async () => {
    writeFileSync(
      mappingFile,
      `table: { name: pg2ddb-${schema}, partitionKey: { name: PK, type: S } }
entities:
  - name: Event
    source: { schema: ${schema}, table: events }
    primaryKey: [id]
    columns: { id: integer, region: text, at: timestamptz, day: date }
    key: { pk: "REGION#{region}#{id}" }
`,
    );
    pg = createPgPool(pgConnection(env));
    await pg.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
    await pg.query(`CREATE TABLE ${quoteIdent(schema)}.events (id integer PRIMARY KEY, region text NOT NULL, at timestamptz, day date)`);
    await pg.query(`INSERT INTO ${quoteIdent(schema)}.events VALUES
      (1, 'EU', '0001-01-01 00:00:00+00', '0001-01-01'),
      (2, 'EU', '9999-12-31 23:59:59.999999+00', '9999-12-31'),
      (3, 'EU', '2024-03-01 10:00:00+00', '2024-03-01')`);
  });

  afterAll(async () => {
    await pg?.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
    await pg?.end();
  });

  it('accepts the first and the last valid day when the bounds name them, and still reports rows outside', () => {
    const result = run(['validate', '--mapping', mappingFile, '--entity', 'Event', '--date-min', '0001-01-01', '--date-max', '9999-12-31', '--json']);
    const findings = (JSON.parse(result.stdout) as { findings: Finding[] }).findings;
    expect(findings.filter((f) => f.check === 'date-range')).toEqual([]);
    const narrow = run(['validate', '--mapping', mappingFile, '--entity', 'Event', '--date-min', '0001-01-02', '--date-max', '9999-12-30', '--json']);
    const ranged = (JSON.parse(narrow.stdout) as { findings: Finding[] }).findings.filter((f) => f.check === 'date-range');
    expect(ranged.map((f) => f.rows)).toEqual([2, 2]);
  });

  it('says that every update and delete would be dead-lettered without REPLICA IDENTITY FULL', () => {
    const result = run(['validate', '--mapping', mappingFile, '--entity', 'Event', '--date-min', '0001-01-01', '--date-max', '9999-12-31', '--json']);
    const identity = (JSON.parse(result.stdout) as { findings: Finding[] }).findings.filter((f) => f.check === 'replica-identity');
    expect(identity).toHaveLength(1);
    expect(identity[0]?.message).toMatch(/every update and every delete of this table would be dead-lettered \(MAPPING_UPDATE_KEY_UNKNOWN \/ MAPPING_DELETE_KEY_UNKNOWN\)/);
  });
});
