import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPgPool, quoteIdent } from '@pg2ddb/postgres';
import { pgConnection, randomId, readStackEnv, testTempDir } from '@pg2ddb/testing';
import type { Pool } from 'pg';
import { runCli } from './cli-support';

// `pg2ddb validate` against the real stack: a seeded table with one data problem per row, and
// each problem must be reported with its exact entity, column and sample key.
interface Finding {
  check: string;
  severity: string;
  entity?: string;
  column?: string;
  rows?: number;
  sampleKeys?: Array<Record<string, string | null>>;
  message: string;
}

describe('pg2ddb validate', () => {
  const env = readStackEnv();
  const schema = randomId('val');
  const table = `pg2ddb-${schema}`;
  const dir = testTempDir(schema);
  const mappingFile = join(dir, 'mapping.yaml');
  let pg: Pool;
  // A prefix of its own: no connector, slot or publication exists for it yet.
  const run = (args: string[], extra: Record<string, string> = {}) => runCli(args, { PG2DDB_TOPIC_PREFIX: schema, ...extra });

  beforeAll(async () => {
    writeFileSync(
      mappingFile,
      `version: 1
table:
  name: ${table}
  partitionKey: { name: PK, type: S }
  sortKey: { name: SK, type: S }
  gsis:
    - name: StatusIndex
      partitionKey: { name: GSI1PK, type: S }
      sortKey: { name: GSI1SK, type: S }
entities:
  - name: Payment
    source: { schema: ${schema}, table: payments }
    primaryKey: [paymentid]
    columns: { paymentid: integer, customerid: integer, amount: numeric, paymentdate: timestamptz, status: text, note: text }
    key: { pk: "CUSTOMER#{customerid}", sk: "PAYMENT#{paymentdate:iso}#{paymentid}" }
    gsis:
      StatusIndex: { pk: "{status}", sk: "{paymentdate:iso}" }
  - name: Reading
    source: { schema: ${schema}, table: readings }
    primaryKey: [code]
    columns: { code: text, ts: timestamptz }
    key: { pk: "READING#{code:lower}", sk: "{ts:iso}" }
  - name: Span
    source: { schema: ${schema}, table: spans }
    primaryKey: [id]
    columns: { id: integer, period: tstzrange, flags: "bit(4)", matrix: "integer[][]", bits: null }
    key: { pk: "SPAN#{id}", sk: SPAN }
`,
    );
    pg = createPgPool(pgConnection(env));
    const s = quoteIdent(schema);
    await pg.query(`CREATE SCHEMA ${s};
      CREATE TABLE ${s}.payments (paymentid integer PRIMARY KEY, customerid integer, amount numeric, paymentdate timestamptz, status text, note text);
      INSERT INTO ${s}.payments VALUES
        (1, 10, 12.50, '2024-01-05', 'PAID', 'fine'),
        (2, NULL, 3.00, '2024-01-06', 'PAID', 'no customer'),
        (3, 11, 4.00, '1800-01-01', 'PAID', 'far past'),
        (4, 12, 1234567890123456789012345678901234567890, '2024-01-07', 'PAID', '40 digits'),
        (5, 13, 5.00, '2024-01-08', 'PAID', (SELECT string_agg(md5(i::text), '') FROM generate_series(1, 16000) AS i)),
        (6, 14, 6.00, '2024-01-09', '', 'empty status');
      CREATE TABLE ${s}.readings (code text PRIMARY KEY, ts timestamptz NOT NULL);
      ALTER TABLE ${s}.readings REPLICA IDENTITY FULL;
      INSERT INTO ${s}.readings VALUES ('Abc', '2024-01-01'), ('abc', '2024-01-01'), ('xyz', '2024-01-01');
      CREATE TABLE ${s}.spans (id integer PRIMARY KEY, period tstzrange, flags bit(4), matrix integer[][], bits varbit);
      INSERT INTO ${s}.spans VALUES (1, '[2024-01-01 00:00+02,2024-02-01 00:00+00)', B'0101', '{{1,2},{3,4}}', B'0011');`);
    expect(run(['init', '--mapping', mappingFile]).status).toBe(0);
  }, 120000);

  afterAll(async () => {
    await pg?.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`).catch(() => undefined);
    await pg?.end();
    const client = new DynamoDBClient({ endpoint: env.PG2DDB_DYNAMO_ENDPOINT, region: env.AWS_REGION ?? 'us-east-1' });
    await client.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
    await client.send(new DeleteTableCommand({ TableName: `${table}.pg2ddb-tombstones` })).catch(() => undefined);
    client.destroy();
  });

  it('reports every data problem with its entity, column and sample key, and exits 1', () => {
    const result = run(['validate', '--mapping', mappingFile, '--date-min', '1900-01-01', '--json']);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as { ok: boolean; findings: Finding[]; checklist: Array<{ check: string; entity?: string; status: string }> };
    expect(report.ok).toBe(false);
    const find = (check: string, entity?: string, column?: string) =>
      report.findings.filter((f) => f.check === check && f.entity === entity && (column === undefined || f.column === column));

    expect(find('key-null', 'Payment', 'customerid')).toEqual([
      expect.objectContaining({ severity: 'error', rows: 1, sampleKeys: [{ paymentid: '2' }] }),
    ]);
    expect(find('date-range', 'Payment', 'paymentdate')).toEqual([expect.objectContaining({ severity: 'error', rows: 1, sampleKeys: [{ paymentid: '3' }] })]);
    expect(find('number-out-of-range', 'Payment', 'amount')).toEqual([expect.objectContaining({ severity: 'error', rows: 1, sampleKeys: [{ paymentid: '4' }] })]);
    const large = find('item-too-large', 'Payment');
    expect(large).toEqual([expect.objectContaining({ severity: 'error', rows: 1, sampleKeys: [{ paymentid: '5' }] })]);
    expect(large[0]?.message).toMatch(/over DynamoDB's 400 KB limit \(largest 51[0-9],[0-9]{3} bytes\)/);
    expect(find('gsi-key-empty', 'Payment', 'status')).toEqual([expect.objectContaining({ severity: 'warning', rows: 1, sampleKeys: [{ paymentid: '6' }] })]);
    // READING#{code:lower}: 'Abc' and 'abc' render the same item key.
    const duplicate = find('duplicate-item-key', 'Reading', 'code+ts');
    expect(duplicate).toEqual([expect.objectContaining({ severity: 'error', rows: 2 })]);
    expect(duplicate[0]?.sampleKeys).toEqual(expect.arrayContaining([{ code: 'Abc' }, { code: 'abc' }]));
    // The key uses customerid and paymentdate, which a delete event carries only with REPLICA IDENTITY FULL.
    expect(find('replica-identity', 'Payment', 'customerid+paymentdate')).toHaveLength(1);
    // Ranges, bit(n) and multi-dimensional arrays map; varbit is refused with the reason.
    expect(find('type-unsupported', 'Span')).toEqual([
      expect.objectContaining({ severity: 'error', column: 'bits', message: expect.stringMatching(/^column bits has type bit varying, which pg2ddb cannot carry exactly: Debezium sends bit varying as a bit set/) }),
    ]);
    // Debezium sends each inner array of {{1,2},{3,4}} as NULL: the row is reported.
    expect(find('array-dimensions', 'Span', 'matrix')).toEqual([expect.objectContaining({ severity: 'error', rows: 1, sampleKeys: [{ id: '1' }] })]);
    // Nothing else is wrong: no false positives on the clean rows, the table and the services.
    // The local stack's PostgreSQL runs with the default max_slot_wal_keep_size=-1 (unlimited).
    expect(find('wal-keep-size')).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/^max_slot_wal_keep_size is unlimited \(-1\)/) })]);
    const expected = new Set(['key-null', 'date-range', 'number-out-of-range', 'item-too-large', 'gsi-key-empty', 'duplicate-item-key', 'replica-identity', 'replica-identity-toast', 'wal-keep-size', 'type-unsupported', 'array-dimensions']);
    expect(report.findings.filter((f) => !expected.has(f.check))).toEqual([]);
    expect(report.checklist.find((c) => c.check === 'dynamodb-table')?.status).toBe('ok');
    expect(report.checklist.find((c) => c.check === 'kafka')?.status).toBe('ok');
    expect(report.checklist.find((c) => c.check === 'connect')?.status).toBe('ok');
  }, 120000);

  it('prints a checklist and the findings for a human', () => {
    const result = run(['validate', '--mapping', mappingFile, '--entity', 'Reading']);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/\[FAIL\]\s+source\s+Reading\s+unique item keys\s+2 row\(s\) in code\+ts/);
    expect(result.stdout).toMatch(/ERROR duplicate-item-key\s+Reading\.code\+ts: 2 row\(s\) render only 1 distinct item key\(s\)/);
    expect(result.stdout).toMatch(/e\.g\. code=(Abc code=abc|abc code=Abc)/);
    expect(result.stdout).toContain('\nnot ready: 1 error(s)');
    expect(result.stdout).not.toMatch(/[\u2705\u274c]/);
  }, 60000);

  it('exits 2 on a usage error and 3 when Kafka and Connect cannot be reached', () => {
    const usage = run(['validate', '--mapping', mappingFile, '--no-such-flag']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain("Unknown option '--no-such-flag'");
    expect(run(['validate', '--mapping', mappingFile, '--date-max', 'soon']).status).toBe(2);
    expect(run(['frobnicate']).status).toBe(2);
    const down = run(['validate', '--mapping', mappingFile, '--entity', 'Reading', '--json'], { PG2DDB_KAFKA_BROKERS: '127.0.0.1:1', PG2DDB_CONNECT_URL: 'http://127.0.0.1:1' });
    expect(down.status).toBe(3);
    const report = JSON.parse(down.stdout) as { findings: Finding[] };
    expect(report.findings.filter((f) => f.check === 'unreachable').map((f) => f.message.split(':')[0])).toEqual(['cannot reach Kafka', 'cannot reach Kafka Connect at http']);
  }, 120000);
});
