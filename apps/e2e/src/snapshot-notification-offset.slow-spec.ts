import { ConnectClient, connectorName, defaultSlotName } from '@pg2ddb/kafka';
import { createPgPool } from '@pg2ddb/postgres';
import { eventually, pgConnection, PrivateConnectWorker, readStackEnv, TestPipeline } from '@pg2ddb/testing';
import type { Pool, PoolClient } from 'pg';

// Found by the default chaos run (round 19, 2026-12-04): the Connect worker died just after a new
// connector's initial snapshot began. Debezium's "initial snapshot STARTED" notification is a
// record that carries the connector's previous offset — for a new connector an empty one — and
// Connect had committed that offset before any snapshot row was acknowledged. The restarted task
// read it as "a previous offset indicating a completed snapshot", skipped the snapshot and only
// streamed: the rows the first attempt had not delivered never reached DynamoDB (stale items), and
// without the snapshot's last-row marker nothing swept the items of rows deleted meanwhile.
//
// Here the snapshot is held where Debezium locks the captured tables (snapshot.locking.mode=shared;
// this test holds an exclusive lock on the table), after the notification and before any row,
// while Connect commits what it has; the worker is then killed.
const ROWS = 300;

const MAPPING = `
version: 1
table: { name: placeholder, partitionKey: { name: PK, type: S }, sortKey: { name: SK, type: S } }
entities:
  - name: Account
    source: { table: accounts }
    primaryKey: [id]
    columns: { id: integer, region: text, name: text }
    key: { pk: "REGION#{region}", sk: "ACCOUNT#{id}" }
`;

const SCHEMA = `
CREATE TABLE accounts (id integer PRIMARY KEY, region text NOT NULL, name text NOT NULL);
INSERT INTO accounts SELECT g, 'r' || (g % 7), 'account ' || g FROM generate_series(1, ${ROWS}) AS g;
`;

describe('a Connect crash right after a new connector starts its initial snapshot', () => {
  let worker: PrivateConnectWorker;
  let pipeline: TestPipeline | undefined;
  let admin: Pool | undefined;
  let lock: PoolClient | undefined;

  beforeAll(async () => {
    worker = await PrivateConnectWorker.start(readStackEnv().PG2DDB_KAFKA_BROKERS as string);
  }, 180000);

  afterAll(async () => {
    await lock?.query('ROLLBACK').catch(() => undefined);
    lock?.release();
    await admin?.end();
    await pipeline?.stop();
    await worker?.destroy();
  });

  it('takes the snapshot again after the restart: every row reaches DynamoDB', async () => {
    let committed: unknown;
    pipeline = await TestPipeline.start({
      mapping: MAPPING,
      connectUrl: worker.url,
      schemaSql: SCHEMA,
      connectorOverrides: { 'snapshot.locking.mode': 'shared', 'snapshot.lock.timeout.ms': '120000' },
      beforeConnector: async ({ names }) => {
        // The slot exists before the connector starts (as after `connector apply` on a kept slot),
        // so Debezium does not wait for this test's open transaction to find a consistent point.
        admin = createPgPool(pgConnection(readStackEnv()), { options: `-c search_path=${names.schema}` });
        await admin.query(`SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [defaultSlotName(names.prefix)]);
        lock = await admin.connect();
        await lock.query('BEGIN');
        await lock.query(`LOCK TABLE "${names.schema}".accounts IN ACCESS EXCLUSIVE MODE`);
      },
      whileConnectorStarts: async ({ names }) => {
        // Connect flushes offsets every second: what it has committed while the snapshot waits
        // for the lock is what a restart will find.
        const connect = new ConnectClient(worker.url);
        await eventually(
          async () => {
            const offsets = await connect.offsets(connectorName(names.prefix)).catch(() => []);
            expect(offsets.filter((entry) => entry.offset !== null)).toHaveLength(1);
            committed = offsets[0]?.offset;
          },
          { timeoutMs: 60000, intervalMs: 250 },
        );
        await new Promise((resolve) => setTimeout(resolve, 2500));
        committed = (await connect.offsets(connectorName(names.prefix)))[0]?.offset;
      },
    });
    // Before the fix this was an empty offset ({} here, {"ts_usec":0} in the chaos run): read back as "completed".
    expect(committed).toMatchObject({ snapshot: 'INITIAL', snapshot_completed: false });

    await worker.kill();
    await lock!.query('ROLLBACK');
    lock!.release();
    lock = undefined;
    await worker.resume();

    await eventually(
      async () => {
        const items = await pipeline!.items();
        expect(items.length).toBe(ROWS);
      },
      { timeoutMs: 180000, intervalMs: 2000 },
    );
    const sample = await pipeline.item({ PK: { S: 'REGION#r3' }, SK: { S: 'ACCOUNT#10' } });
    expect(sample).toMatchObject({ name: { S: 'account 10' } });
  }, 420000);
});
