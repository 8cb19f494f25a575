import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AttributeMap, DdbChangeEvent } from '@pg2ddb/contracts';
import { writeCommandKey } from '@pg2ddb/contracts';
import { compileInverse, compileMapping, entityItemToRow, loadMapping, mapRow, planInboundChange, rowKeyOf } from '@pg2ddb/mapping';
import { applyInboundChanges, createPgPool, migratePg2ddbSchema, quoteIdent, type ApplyInboundOptions } from '@pg2ddb/postgres';
import { pgConnection, randomId, readStackEnv } from '@pg2ddb/testing';
import type { Pool } from 'pg';

// The PostgreSQL writer's guard (pg2ddb.inbound_items) on the real PostgreSQL of the stack:
// replays and out-of-order delivery converge, and a key change whose delete and put arrive in two
// concurrent transactions (two partitions) never loses the row.
const examples = join(__dirname, '../../../examples/payments');

describe('PostgreSQL writer: version guard', () => {
  const schema = randomId('pgw');
  const prefix = schema;
  let pool: Pool;
  const definition = loadMapping(readFileSync(join(examples, 'mapping.yaml'), 'utf8'), 'payments');
  definition.entities[0]!.source.schema = schema;
  const mapping = compileMapping(definition);
  const inverse = compileInverse(mapping);
  const entity = mapping.entity('Payment')!;
  const options: ApplyInboundOptions = {
    topicPrefix: prefix,
    target: () => ({ schema, table: 'payments', primaryKey: ['paymentid'] }),
    rowOfImage: (name, image) => {
      const e = inverse.entity(name)!;
      const row = entityItemToRow(e, image);
      return { rowKey: rowKeyOf(e.entity.primaryKey, row.primaryKey), params: row.params, insertDefaults: row.insertDefaults };
    },
  };

  beforeAll(async () => {
    const env = readStackEnv();
    pool = createPgPool(pgConnection(env), { max: 8, options: `-c search_path=${schema}` });
    await migratePg2ddbSchema(pool, pgConnection(env));
    await pool.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
    await pool.query(readFileSync(join(examples, 'schema.sql'), 'utf8'));
  });

  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
    await pool.query(`DELETE FROM pg2ddb.inbound_items WHERE topic_prefix = $1`, [prefix]);
    await pool.end();
  });

  const item = (id: number, at: string, amount: string): AttributeMap => {
    const mapped = mapRow(entity, { paymentid: id, customerid: 1, loanid: 2, paymentamount: amount, paymentdate: at, paymentmethod: 'ACH', paymentstatus: 'OK', transactionreference: null, processeddate: null, createddate: '2024-01-01 00:00:00+00', updateddate: null });
    if (mapped.kind !== 'item') throw new Error('whole items');
    return mapped.item;
  };
  const change = (op: 'put' | 'delete', image: AttributeMap, version: number) => {
    const key = { PK: image['PK']!, SK: image['SK']! };
    const event: DdbChangeEvent = {
      v: 1,
      table: mapping.table.name,
      op,
      key,
      ...(op === 'put' ? { item: image } : { oldItem: image }),
      version: String(version),
      changedAtMs: 0,
      origin: { kind: 'stream', shardId: 's', sequenceNumber: String(version), eventName: op === 'put' ? 'MODIFY' : 'REMOVE' },
    };
    return planInboundChange(inverse, event, writeCommandKey({ table: mapping.table.name, key }));
  };
  const rows = async () => (await pool.query(`SELECT paymentid, paymentamount::text AS amount, paymentdate = $1::timestamptz AS moved FROM payments ORDER BY paymentid`, ['2024-05-05 00:00:00+00'])).rows;

  it('converges whatever the order and however often a change is delivered', async () => {
    const a1 = item(1, '2024-01-01 00:00:00+00', '1.00');
    const a2 = item(1, '2024-01-01 00:00:00+00', '2.00');
    const outcomes = await applyInboundChanges(pool, [change('put', a2, 20), change('put', a1, 10), change('put', a2, 20)], options);
    expect(outcomes.map((o) => o.status)).toEqual(['applied', 'stale', 'stale']);
    await applyInboundChanges(pool, [change('delete', a2, 30)], options);
    expect((await applyInboundChanges(pool, [change('put', a2, 20), change('put', a1, 10)], options)).map((o) => o.status)).toEqual(['stale', 'stale']);
    expect(await rows()).toEqual([]);
  });

  it('dead-letters a row PostgreSQL refuses and applies the rest of the batch', async () => {
    const outcomes = await applyInboundChanges(pool, [change('put', item(2, '2024-01-01 00:00:00+00', '-1.00'), 5), change('put', item(3, '2024-01-01 00:00:00+00', '3.00'), 6)], options);
    expect(outcomes[0]).toMatchObject({ status: 'failed', error: { code: 'PG_ROW_REFUSED' } });
    expect((outcomes[0] as { error: Error }).error.message).toMatch(/^PostgreSQL refused the row \(SQLSTATE 23514\): new row for relation "payments" violates check constraint "payments_paymentamount_check"/);
    expect(outcomes[1]).toEqual({ status: 'applied' });
    expect(await rows()).toEqual([{ paymentid: 3, amount: '3.00', moved: false }]);
    await pool.query('DELETE FROM payments');
  });

  it('keeps the row of a key change whose delete and put run in two concurrent transactions', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => 100 + i);
    for (const id of ids) await applyInboundChanges(pool, [change('put', item(id, '2024-01-01 00:00:00+00', '1.00'), 1)], options);
    // The application moves each payment to another date: put the new item, delete the old one.
    // The two changes sit in different partitions, so two writers apply them at the same time.
    await Promise.all(
      ids.flatMap((id) => [
        applyInboundChanges(pool, [change('put', item(id, '2024-05-05 00:00:00+00', '5.00'), 2)], options),
        applyInboundChanges(pool, [change('delete', item(id, '2024-01-01 00:00:00+00', '1.00'), 3)], options),
      ]),
    );
    expect(await rows()).toEqual(ids.map((id) => ({ paymentid: id, amount: '5.00', moved: true })));
  });
});
