import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { topicNames, writeCommandKey, type AttributeMap, type WriteCommand } from '@pg2ddb/contracts';
import { toSdkItem } from '@pg2ddb/dynamo';
import { consumerLag, createKafka } from '@pg2ddb/kafka';
import { runReconciliation, type ReconcileContext } from '@pg2ddb/reconcile';
import { normalizeNumber } from '@pg2ddb/sync';
import { eventually, TestPipeline } from '@pg2ddb/testing';
import type { Kafka, Producer } from 'kafkajs';

// Embedded children (examples/shopping-carts: cart lines as map entries of the cart item) on the
// real stack: the initial snapshot gives a cart and its lines one version, streaming changes lines
// and carts in separate transactions, a line moves to another cart and a line is deleted. Every
// line must end up exactly as in Postgres (each line is guarded by its own entry's version, never
// by the cart's), and the reconciler must see — and repair — drift of single lines.
const example = join(__dirname, '../../../examples/shopping-carts');
const CARTS = 40;

/** cart id → line_no → `sku|qty|price`, read from Postgres. */
async function sourceLines(pipeline: TestPipeline): Promise<Record<string, Record<string, string>>> {
  const carts = (await pipeline.query(`SELECT id::text AS id FROM carts`)) as Array<{ id: string }>;
  const lines = (await pipeline.query(`SELECT cart_id::text AS cart, line_no::text AS line, sku, qty::text AS qty, unit_price::text AS price FROM cart_lines`)) as Array<
    Record<string, string>
  >;
  const state: Record<string, Record<string, string>> = {};
  for (const { id } of carts) state[id] = {};
  for (const line of lines) (state[line.cart as string] ??= {})[line.line as string] = `${line.sku}|${line.qty}|${normalizeNumber(line.price as string)}`;
  return state;
}

/** The same, read from the cart items' `lines` maps. */
async function tableLines(pipeline: TestPipeline): Promise<Record<string, Record<string, string>>> {
  const state: Record<string, Record<string, string>> = {};
  for (const item of await pipeline.items()) {
    const cart = (item.PK as { S: string }).S.replace('CART#', '');
    const entries = (item.lines as { M: Record<string, { M: AttributeMap }> } | undefined)?.M ?? {};
    state[cart] = {};
    for (const [lineNo, entry] of Object.entries(entries)) {
      const { sku, qty, unit_price: price } = entry.M as Record<string, { S?: string; N?: string }>;
      (state[cart] as Record<string, string>)[lineNo] = `${sku?.S}|${qty?.N}|${normalizeNumber(price?.N ?? '')}`;
    }
  }
  return state;
}

async function expectLinesEqualSource(pipeline: TestPipeline): Promise<void> {
  await eventually(async () => expect(await tableLines(pipeline)).toEqual(await sourceLines(pipeline)), { timeoutMs: 120_000, intervalMs: 1000 });
}

describe('embedded children (shopping carts) on the real stack', () => {
  let pipeline: TestPipeline;
  let kafka: Kafka;
  let producer: Producer;

  beforeAll(async () => {
    pipeline = await TestPipeline.start({
      mapping: readFileSync(join(example, 'mapping.yaml'), 'utf8'),
      schemaSql: `${readFileSync(join(example, 'schema.sql'), 'utf8')}\n${readFileSync(join(example, 'seed.sql'), 'utf8').replaceAll('{{rows}}', String(CARTS))}`,
    });
    kafka = createKafka({ brokers: pipeline.env.PG2DDB_KAFKA_BROKERS!.split(','), clientId: `${pipeline.names.id}-embedded` });
    producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await pipeline?.stop();
  });

  const context = (): ReconcileContext => ({ pg: pipeline.pg, dynamo: pipeline.dynamo, kafka, producer, mapping: pipeline.mapping, topicPrefix: pipeline.names.prefix });

  it('keeps every line of the initial snapshot, whatever the order of cart and line commands', async () => {
    const lines = (await pipeline.query(`SELECT count(*)::int AS n FROM cart_lines`)) as Array<{ n: number }>;
    expect(lines[0]?.n).toBeGreaterThan(CARTS);
    await expectLinesEqualSource(pipeline);
    const cart = await pipeline.item({ PK: { S: 'CART#5' }, SK: { S: 'CART' } });
    expect(cart).toMatchObject({ EntityType: { S: 'Cart' }, status: { S: 'ordered' }, customer_id: { N: '6' } });
  });

  it('applies streamed line changes older than their cart\'s change, a line moved to another cart and a deleted line', async () => {
    // Lines first, then their carts, in separate transactions: each cart's version is newer than its lines'.
    await pipeline.query(`UPDATE cart_lines SET qty = qty + 10 WHERE cart_id <= 20`);
    await pipeline.query(`UPDATE carts SET status = 'checkout', updated_at = now() WHERE id <= 20`);
    await pipeline.query(`INSERT INTO cart_lines (cart_id, line_no, sku, qty, unit_price) SELECT id, 50, 'NEW-' || id, 1, 9.99 FROM carts WHERE id <= 20`);
    await pipeline.query(`UPDATE carts SET status = 'paid' WHERE id <= 20`);
    // A line moves to another cart (a primary key change: removed from cart 1, set in cart 2) and one is deleted.
    await pipeline.query(`UPDATE cart_lines SET cart_id = 2, line_no = 100 WHERE cart_id = 1 AND line_no = 1`);
    await pipeline.query(`DELETE FROM cart_lines WHERE cart_id = 3 AND line_no = 1`);
    await expectLinesEqualSource(pipeline);
    const moved = await tableLines(pipeline);
    expect(moved['1']?.['1']).toBeUndefined();
    expect(moved['2']?.['100']).toMatch(/^SKU-/);
    expect(moved['3']?.['1']).toBeUndefined();
    expect(await pipeline.item({ PK: { S: 'CART#7' }, SK: { S: 'CART' } })).toMatchObject({ status: { S: 'paid' } });
  });

  it('reconciles lines: a clean run finds nothing, single-line drift is reported and repaired', async () => {
    const clean = await runReconciliation(context(), { mode: 'full', entities: ['Cart'], confirmTimeoutMs: 60_000 });
    expect(clean.entities[0]?.summary.counts).toMatchObject({ checked: CARTS, matched: CARTS, mismatch: 0, missing: 0, unexpected: 0 });

    const table = pipeline.names.table;
    const cart = (id: number) => toSdkItem({ PK: { S: `CART#${id}` }, SK: { S: 'CART' } });
    // Behind the pipeline's back: a line's quantity changed, a line removed, a line that has no row added.
    await pipeline.dynamo.send(
      new UpdateItemCommand({ TableName: table, Key: cart(11), UpdateExpression: 'SET #l.#n.qty = :q', ExpressionAttributeNames: { '#l': 'lines', '#n': '1' }, ExpressionAttributeValues: { ':q': { N: '999' } } }),
    );
    await pipeline.dynamo.send(new UpdateItemCommand({ TableName: table, Key: cart(12), UpdateExpression: 'REMOVE #l.#n', ExpressionAttributeNames: { '#l': 'lines', '#n': '50' } }));
    await pipeline.dynamo.send(
      new UpdateItemCommand({
        TableName: table,
        Key: cart(13),
        UpdateExpression: 'SET #l.#n = :v',
        ExpressionAttributeNames: { '#l': 'lines', '#n': '77' },
        ExpressionAttributeValues: { ':v': { M: { sku: { S: 'GHOST' }, qty: { N: '1' } } } },
      }),
    );

    const report = await runReconciliation(context(), { mode: 'full', entities: ['Cart'], confirmTimeoutMs: 60_000, repair: true });
    const [entity] = report.entities;
    expect(entity?.summary.counts).toMatchObject({ checked: CARTS, mismatch: 3, missing: 0, unexpected: 0 });
    const attributes = (entity?.drift ?? []).map((event) => ({ key: (event.key.PK as { S: string }).S, names: event.attributes.map((a) => a.name) }));
    expect(attributes.sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { key: 'CART#11', names: ['lines.1'] },
      { key: 'CART#12', names: ['lines.50'] },
      { key: 'CART#13', names: ['lines.77'] },
    ]);
    expect(entity?.repair).toMatchObject({ skipped: 0 });

    await expectLinesEqualSource(pipeline);
    const after = await runReconciliation(context(), { mode: 'full', entities: ['Cart'], confirmTimeoutMs: 60_000 });
    expect(after.entities[0]?.summary.counts).toMatchObject({ checked: CARTS, matched: CARTS, mismatch: 0 });
  });

  it('judges a line command by its own entry\'s version, never by the cart\'s, whatever batch it arrives in', async () => {
    // The writer alone, fed the commands the transformer emits (same contract), in an order the
    // pipeline produces whenever a cart's command is written in an earlier batch than its line's.
    const key = { PK: { S: 'CART#9001' }, SK: { S: 'CART' } };
    const version = (n: number): string => `${n.toString(16).padStart(16, '0')}${'0'.repeat(16)}1`;
    const source = { topic: 'injected', partition: 0, offset: '0', schema: pipeline.names.schema, table: 'carts', lsn: null, txId: null, snapshot: false, committedAtMs: Date.now() };
    const base = { v: 1 as const, table: pipeline.names.table, key, source, op: 'update' as const };
    const cart = (n: number, status: string): WriteCommand => ({
      ...base,
      entity: 'Cart',
      version: version(n),
      set: { id: { N: '9001' }, customer_id: { N: '1' }, status: { S: status }, EntityType: { S: 'Cart' }, _ver: { S: version(n) } },
      remove: [],
    });
    const line = (n: number, qty: number): WriteCommand => ({
      ...base,
      entity: 'CartLine',
      version: version(n),
      set: { 'lines.1': { M: { cart_id: { N: '9001' }, line_no: { N: '1' }, sku: { S: 'SKU-X' }, qty: { N: String(qty) }, _ver: { S: version(n) } } } },
      remove: [],
      guard: 'lines.1',
    });
    const sendAndDrain = async (command: WriteCommand): Promise<void> => {
      const writes = topicNames(pipeline.names.prefix).writes;
      await producer.send({ topic: writes, acks: -1, messages: [{ key: writeCommandKey(command), value: JSON.stringify(command) }] });
      await eventually(async () => expect(await consumerLag(kafka, `${pipeline.names.prefix}.writer`, [writes])).toBe(0), { timeoutMs: 60_000 });
    };
    const qty = async () => ((await pipeline.item(key))?.lines as { M: Record<string, { M: AttributeMap }> } | undefined)?.M['1']?.M.qty;

    // A snapshot gives cart and line one version: the line, written after its cart, is not stale.
    await sendAndDrain(cart(0x5000, 'open'));
    await sendAndDrain(line(0x5000, 1));
    expect(await qty()).toEqual({ N: '1' });
    // A newer cart change, then a line change older than it but newer than the line: applied.
    await sendAndDrain(cart(0x5002, 'paid'));
    await sendAndDrain(line(0x5001, 2));
    expect(await qty()).toEqual({ N: '2' });
    // A line change older than the line's own entry is stale; the cart keeps its own version.
    await sendAndDrain(line(0x5000, 3));
    expect(await qty()).toEqual({ N: '2' });
    expect(await pipeline.item(key)).toMatchObject({ status: { S: 'paid' }, _ver: { S: version(0x5002) } });
  });
});
