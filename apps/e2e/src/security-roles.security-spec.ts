import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectorName, createKafka, readTopicRange } from '@pg2ddb/kafka';
import { createPgPool, grantReconcilerAccess, migratePg2ddbSchema } from '@pg2ddb/postgres';
import { eventually, pgConnection, TestPipeline } from '@pg2ddb/testing';
import { runCli } from './cli-support';

// Least privilege on the real stack (docs/security.md): the connector streams the payments example
// as pg2ddb_connector (REPLICATION + SELECT, nothing else) with its password resolved by the Connect
// worker's config provider, and neither it nor the reconciler's role can write a source table.
const examples = join(__dirname, '../../../examples/payments');

describe('security: least-privilege roles and no password in Connect', () => {
  let pipeline: TestPipeline;

  beforeAll(async () => {
    pipeline = await TestPipeline.start({
      mapping: readFileSync(join(examples, 'mapping.yaml'), 'utf8'),
      schemaSql: `${readFileSync(join(examples, 'schema.sql'), 'utf8')}
        INSERT INTO payments (paymentid, customerid, loanid, paymentamount, paymentdate, paymentmethod, paymentstatus, createddate)
        VALUES (1, 5, 70, 10.00, '2023-06-01 08:00:00+00', 'ACH', 'COMPLETED', '2023-06-01 08:00:00+00');`,
    });
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  /** Runs one statement as a role of the stack; resolves the error's SQLSTATE and message, or 'ok'. */
  async function asRole(user: string, password: string, sql: string): Promise<string> {
    const pool = createPgPool({ ...pgConnection(pipeline.env), user, password }, { options: `-c search_path=${pipeline.names.schema}`, max: 1 });
    try {
      await pool.query(sql);
      return 'ok';
    } catch (error) {
      return `${(error as { code?: string }).code}: ${(error as Error).message}`;
    } finally {
      await pool.end();
    }
  }

  it('streams through the connector role, which logs in as itself', async () => {
    await pipeline.query(`INSERT INTO payments (paymentid, customerid, loanid, paymentamount, paymentdate, paymentmethod, paymentstatus, createddate)
      VALUES (2, 6, 71, 5.00, '2024-01-01 00:00:00+00', 'CARD', 'PENDING', '2024-01-01 00:00:00+00')`);
    await eventually(async () => expect(await pipeline.item({ PK: { S: 'CUSTOMER#6' }, SK: { S: 'PAYMENT#2024-01-01T00:00:00.000000Z#2' } })).toBeDefined());
    const [slot] = (await pipeline.query(
      `SELECT a.usename FROM pg_replication_slots s JOIN pg_stat_activity a ON a.pid = s.active_pid WHERE s.slot_name = $1`,
      [`pg2ddb_${pipeline.names.prefix}`],
    )) as Array<{ usename: string }>;
    expect(slot?.usename).toBe('pg2ddb_connector');
  });

  it('the connector role reads the captured tables and cannot write them', async () => {
    const { PG2DDB_CONNECTOR_DB_USER: user = '', PG2DDB_DEBEZIUM_PASSWORD: password = '' } = pipeline.env;
    expect(user).toBe('pg2ddb_connector');
    expect(await asRole(user, password, 'SELECT count(*) FROM payments')).toBe('ok');
    expect(await asRole(user, password, `INSERT INTO payments (paymentid, customerid, loanid, paymentamount, paymentdate, paymentmethod, paymentstatus, createddate)
      VALUES (3, 1, 1, 1, now(), 'ACH', 'PENDING', now())`)).toBe('42501: permission denied for table payments');
    expect(await asRole(user, password, `UPDATE payments SET paymentstatus = 'FORGED'`)).toBe('42501: permission denied for table payments');
    expect(await asRole(user, password, 'DELETE FROM payments')).toBe('42501: permission denied for table payments');
    expect(await asRole(user, password, 'TRUNCATE payments')).toBe('42501: permission denied for table payments');
    expect(await asRole(user, password, 'CREATE TABLE sneaky (id int)')).toMatch(/^42501: permission denied for schema /);
    // nothing was changed by the attempts
    expect(await pipeline.query('SELECT paymentid, paymentstatus FROM payments ORDER BY paymentid')).toEqual([
      { paymentid: 1, paymentstatus: 'COMPLETED' },
      { paymentid: 2, paymentstatus: 'PENDING' },
    ]);
  });

  it('the reconciler role is read-only', async () => {
    const { PG2DDB_RECONCILER_PG_USER: user = '', PG2DDB_RECONCILER_PG_PASSWORD: password = '' } = pipeline.env;
    // The pipeline grants it only when a reconciler runs: grant as the CLI would (docs/security.md).
    await migratePg2ddbSchema(pipeline.pg, pgConnection(pipeline.env));
    await grantReconcilerAccess(pipeline.pg, user, [`${pipeline.names.schema}.payments`]);
    expect(await asRole(user, password, 'SELECT count(*) FROM payments')).toBe('ok');
    expect(await asRole(user, password, `UPDATE payments SET paymentstatus = 'FORGED'`)).toBe('42501: permission denied for table payments');
    expect(await asRole(user, password, 'DELETE FROM payments')).toBe('42501: permission denied for table payments');
    expect(await asRole(user, password, `SELECT pg_create_logical_replication_slot('forged_${pipeline.names.id}', 'pgoutput')`)).toMatch(/^42501: .*replication slots$/);
  });

  it("Connect's config topic and REST API hold a config-provider reference, never the password", async () => {
    const name = connectorName(pipeline.names.prefix);
    const stored = (await (await fetch(`${pipeline.connectUrl}/connectors/${name}/config`)).json()) as Record<string, string>;
    expect(stored['database.user']).toBe('pg2ddb_connector');
    expect(stored['database.password']).toBe('${env:PG2DDB_DEBEZIUM_PASSWORD}');
    const kafka = createKafka({ brokers: (pipeline.env.PG2DDB_KAFKA_BROKERS ?? '').split(','), clientId: `${pipeline.names.id}-configs` });
    const { records } = await readTopicRange(kafka, 'pg2ddb-connect-configs');
    const texts = records.map((record) => record.message.value?.toString('utf8') ?? '');
    const ours = texts.filter((text) => text.includes(`"topic.prefix":"${pipeline.names.prefix}"`));
    expect(ours.length).toBeGreaterThan(0);
    for (const text of ours) expect(text).toContain('"database.password":"${env:PG2DDB_DEBEZIUM_PASSWORD}"');
    for (const secret of [pipeline.env.PG2DDB_DEBEZIUM_PASSWORD, pipeline.env.PG2DDB_PG_PASSWORD, pipeline.env.PG2DDB_RECONCILER_PG_PASSWORD]) {
      expect(secret?.length).toBeGreaterThan(20);
      expect(texts.filter((text) => text.includes(secret as string))).toEqual([]);
    }
  });

  it('connector apply refuses a clear-text password unless told --allow-plaintext-secret', () => {
    const mapping = pipeline.mappingFile;
    const result = runCli(['connector', 'apply', '--mapping', mapping], {
      ...pipeline.env,
      PG2DDB_TOPIC_PREFIX: pipeline.names.prefix,
      PG2DDB_CONNECTOR_DB_PASSWORD: pipeline.env.PG2DDB_DEBEZIUM_PASSWORD ?? '',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`connector ${connectorName(pipeline.names.prefix)}: database.password is a clear-text password`);
    expect(result.output).not.toContain(pipeline.env.PG2DDB_DEBEZIUM_PASSWORD);
  });
});
