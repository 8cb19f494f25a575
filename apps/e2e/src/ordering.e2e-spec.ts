import { Client } from 'pg';
import type { AttributeMap } from '@pg2ddb/contracts';
import { eventually, pgConnection, TestPipeline } from '@pg2ddb/testing';

// Invariants 2 and 3 on the real stack: an older version never replaces a newer one, whatever the
// delivery order, and replaying the topics converges on the source state (deletes stay deleted).
const mapping = `
table: { name: Accounts, partitionKey: { name: PK, type: S }, sortKey: { name: SK, type: S } }
entities:
  - name: Account
    source: { schema: public, table: accounts }
    primaryKey: [id]
    columns: { id: integer, owner: text, balance: numeric }
    key: { pk: "ACCOUNT#{id}", sk: "STATE" }
`;

const key = (id: number): AttributeMap => ({ PK: { S: `ACCOUNT#${id}` }, SK: { S: 'STATE' } });
const version = (item: AttributeMap | undefined): string => (item?._ver as { S: string } | undefined)?.S ?? '';

describe('ordering and replays', () => {
  let pipeline: TestPipeline;
  let openTx: Client | undefined;

  beforeAll(async () => {
    pipeline = await TestPipeline.start({
      mapping,
      schemaSql: `CREATE TABLE accounts (id integer PRIMARY KEY, owner text NOT NULL, balance numeric NOT NULL);
                  INSERT INTO accounts SELECT i, 'owner-' || i, i * 10 FROM generate_series(1, 50) AS i;`,
    });
  });

  afterAll(async () => {
    await openTx?.end().catch(() => undefined);
    await pipeline?.stop();
  });

  it('applies concurrent transactions in commit order', async () => {
    await eventually(async () => expect(await pipeline.item(key(50))).toMatchObject({ balance: { N: '500' } }));
    // Transaction A starts first and writes row 2, B writes row 1 and commits, then A writes row 1
    // and commits last: A's values are the final state.
    const a = new Client({ ...pgConnection(pipeline.env), options: `-c search_path=${pipeline.names.schema}` });
    openTx = a;
    await a.connect();
    await a.query('BEGIN');
    await a.query(`UPDATE accounts SET balance = 111 WHERE id = 2`);
    await pipeline.query(`UPDATE accounts SET balance = 222 WHERE id = 1`);
    await a.query(`UPDATE accounts SET balance = 333 WHERE id = 1`);
    await a.query('COMMIT');
    await a.end();
    openTx = undefined;
    // Postgres' final state is A's (it committed last); so must DynamoDB's be.
    await eventually(async () => {
      expect(await pipeline.item(key(1))).toMatchObject({ balance: { N: '333' } });
      expect(await pipeline.item(key(2))).toMatchObject({ balance: { N: '111' } });
    });
  });

  it('replaying every write command from the start changes nothing (no stale overwrite, deletes stay deleted)', async () => {
    await pipeline.query(`UPDATE accounts SET balance = balance + 1 WHERE id <= 10`);
    await pipeline.query(`DELETE FROM accounts WHERE id IN (11, 12)`);
    await eventually(async () => {
      expect(await pipeline.item(key(11))).toBeUndefined();
      expect(await pipeline.item(key(3))).toMatchObject({ balance: { N: '31' } });
    });
    const before = await pipeline.items();
    await pipeline.restartService('writer', { replayFromStart: true });
    // The replay re-applies the snapshot puts (older) and every later change in order.
    await pipeline.query(`UPDATE accounts SET owner = 'marker' WHERE id = 50`);
    await eventually(async () => expect(await pipeline.item(key(50))).toMatchObject({ owner: { S: 'marker' } }));
    const after = await pipeline.items();
    const byKey = (items: AttributeMap[]) =>
      Object.fromEntries(items.filter((item) => (item.PK as { S: string }).S !== 'ACCOUNT#50').map((item) => [(item.PK as { S: string }).S, item]));
    expect(byKey(after)).toEqual(byKey(before));
    expect(await pipeline.item(key(11))).toBeUndefined();
    expect(await pipeline.item(key(12))).toBeUndefined();
    expect(after).toHaveLength(48);
  });

  it('a newer version of a row always has a greater source version', async () => {
    const first = version(await pipeline.item(key(7)));
    await pipeline.query(`UPDATE accounts SET balance = 7777 WHERE id = 7`);
    await eventually(async () => expect(await pipeline.item(key(7))).toMatchObject({ balance: { N: '7777' } }));
    expect(version(await pipeline.item(key(7))) > first).toBe(true);
  });
});

describe('a transaction held open across the start of the snapshot', () => {
  let pipeline: TestPipeline | undefined;
  afterAll(async () => {
    await pipeline?.stop();
  });

  it('its change wins over the snapshot row once it commits', async () => {
    let heldTx: Client | undefined;
    pipeline = await TestPipeline.start({
      mapping,
      schemaSql: `CREATE TABLE accounts (id integer PRIMARY KEY, owner text NOT NULL, balance numeric NOT NULL);
                  INSERT INTO accounts VALUES (1, 'alice', 10), (2, 'bob', 20);`,
      beforeConnector: async ({ names, env }) => {
        // Opened before the connector exists; commits only while it is creating its slot and snapshot.
        heldTx = new Client({ ...pgConnection(env), options: `-c search_path=${names.schema}` });
        await heldTx.connect();
        await heldTx.query('BEGIN');
        await heldTx.query(`UPDATE accounts SET balance = 99 WHERE id = 1`);
      },
      whileConnectorStarts: async () => {
        await new Promise((resolve) => setTimeout(resolve, 3000));
        await heldTx?.query('COMMIT');
        await heldTx?.end();
      },
    });
    const started = pipeline;
    await eventually(async () => {
      expect(await started.item(key(1))).toMatchObject({ balance: { N: '99' } });
      expect(await started.item(key(2))).toMatchObject({ balance: { N: '20' } });
    });
    // Give any late snapshot or duplicate event time to arrive: the committed value must stay.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await started.item(key(1))).toMatchObject({ balance: { N: '99' } });
    await started.query(`UPDATE accounts SET balance = 100 WHERE id = 1`);
    await eventually(async () => expect(await started.item(key(1))).toMatchObject({ balance: { N: '100' } }));
  });
});
