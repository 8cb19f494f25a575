import { topicNames, writeCommandKey, type AttributeMap, type DeadLetter, type WriteCommand } from '@pg2ddb/contracts';
import { eventually, exampleSources, paymentDelete, paymentKey as key, paymentPut, TestPipeline, testVersion, withoutVersion, WritesInjector } from '@pg2ddb/testing';
import type { Kafka } from 'kafkajs';

// The writer alone, fed write commands straight into <prefix>.writes: duplicates, out-of-order
// versions and deletes followed by older puts must leave exactly the newest state, across batches,
// restarts and full replays; an item DynamoDB cannot hold goes to the DLQ and the rest is written.

const version = (n: number): string => testVersion(n, 0);

describe('writer: version guard and dead letters on the real stack', () => {
  let pipeline: TestPipeline;
  let writes: WritesInjector;
  let table: string;

  const put = (id: string, n: number, status: string): WriteCommand => paymentPut(table, id, n, { status, rank: 0 });
  const del = (id: string, n: number): WriteCommand => paymentDelete(table, id, n, 0);
  /** Sends commands as one produce call (they reach the writer in one batch per partition). */
  const send = (...commands: WriteCommand[]) => writes.send(commands);
  /** Waits until the writer has committed everything sent so far. */
  const drained = () => writes.drained();

  async function metric(name: string): Promise<number> {
    const text = await (await fetch(`${pipeline.serviceUrl('writer')}/metrics`)).text();
    const escaped = name.replace(/[{}"=]/g, (c) => `\\${c}`);
    const match = new RegExp(`^${escaped} (\\S+)$`, 'm').exec(text);
    return match ? Number(match[1]) : 0;
  }

  beforeAll(async () => {
    pipeline = await TestPipeline.start({
      ...exampleSources('payments'),
      services: ['writer'],
    });
    table = pipeline.names.table;
    writes = await WritesInjector.connect(pipeline, 'inject');
  });

  afterAll(async () => {
    await writes?.disconnect();
    await pipeline?.stop();
  });

  it('keeps the newest state for duplicates and older-after-newer, inside one batch and across batches', async () => {
    await send(put('dup', 1, 'ONE'), put('dup', 1, 'ONE'), put('late', 2, 'TWO'), put('late', 1, 'ONE'));
    await drained();
    await send(put('late', 1, 'ONE-AGAIN'), put('dup', 1, 'ONE-AGAIN'));
    await drained();
    expect(withoutVersion(await pipeline.item(key('dup')))).toMatchObject({ PaymentStatus: { S: 'ONE' } });
    expect(await pipeline.item(key('late'))).toMatchObject({ PaymentStatus: { S: 'TWO' }, _ver: { S: version(2) } });
  });

  it('keeps a deleted item deleted when an older put arrives after the delete (no resurrection)', async () => {
    await send(put('gone', 1, 'ONE'));
    await drained();
    await send(del('gone', 3));
    await drained();
    expect(await pipeline.item(key('gone'))).toBeUndefined();
    await send(put('gone', 2, 'TWO'));
    await drained();
    expect(await pipeline.item(key('gone'))).toBeUndefined();

    // The same inside one batch, and a delete of an item that never existed.
    await send(put('same-batch', 1, 'ONE'), del('same-batch', 4), put('same-batch', 3, 'THREE'), del('never', 5), put('never', 2, 'TWO'));
    await drained();
    expect(await pipeline.item(key('same-batch'))).toBeUndefined();
    expect(await pipeline.item(key('never'))).toBeUndefined();

    // A newer put (the row inserted again) does come back.
    await send(put('gone', 6, 'SIX'));
    await drained();
    expect(await pipeline.item(key('gone'))).toMatchObject({ PaymentStatus: { S: 'SIX' } });
  });

  it('converges to the same table when the writer restarts and replays the whole topic', async () => {
    const before = (await pipeline.items()).sort((a, b) => JSON.stringify(a.PK).localeCompare(JSON.stringify(b.PK)));
    const staleBefore = await metric('pg2ddb_writer_commands_total{outcome="stale"}');
    expect(staleBefore).toBeGreaterThan(0);
    await pipeline.restartService('writer', { replayFromStart: true });
    await drained();
    const after = (await pipeline.items()).sort((a, b) => JSON.stringify(a.PK).localeCompare(JSON.stringify(b.PK)));
    expect(after).toEqual(before);
    expect(after.map((item) => (item.PK as { S: string }).S).sort()).toEqual(['CUSTOMER#dup', 'CUSTOMER#gone', 'CUSTOMER#late']);
    // Everything replayed was refused or folded by the guard: nothing was applied twice.
    expect(await metric('pg2ddb_writer_commands_total{outcome="applied"}')).toBe(0);
  });

  it('dead-letters an item over 400 KB with the reason and writes the others of its batch', async () => {
    const big = put('big', 1, 'BIG');
    (big as { item: AttributeMap }).item.Blob = { S: 'x'.repeat(410_000) };
    await send(put('small-1', 1, 'S1'), big, put('small-2', 1, 'S2'));
    await drained();
    expect(await pipeline.item(key('small-1'))).toMatchObject({ PaymentStatus: { S: 'S1' } });
    expect(await pipeline.item(key('small-2'))).toMatchObject({ PaymentStatus: { S: 'S2' } });
    expect(await pipeline.item(key('big'))).toBeUndefined();

    const letters = await readDeadLetters(writes.kafka, topicNames(pipeline.names.prefix).dlq, 1);
    expect(letters).toHaveLength(1);
    const [letter] = letters as [DeadLetter];
    expect(letter).toMatchObject({ stage: 'writer', code: 'DYNAMO_ITEM_TOO_LARGE', original: { topic: topicNames(pipeline.names.prefix).writes, key: writeCommandKey(big) } });
    expect(letter.message).toMatch(/Item size has exceeded the maximum allowed size/i);
    expect(JSON.parse(letter.original.value as string)).toEqual(big);
    expect(await metric('pg2ddb_writer_dead_letters_total{code="DYNAMO_ITEM_TOO_LARGE"}')).toBe(1);
  });
});

async function readDeadLetters(kafka: Kafka, topic: string, expected: number): Promise<DeadLetter[]> {
  const consumer = kafka.consumer({ groupId: `read-${topic}-${Date.now()}` });
  const letters: DeadLetter[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void letters.push(JSON.parse(String(message.value)) as DeadLetter) });
  try {
    await eventually(async () => expect(letters.length).toBeGreaterThanOrEqual(expected), { timeoutMs: 30_000 });
    // A moment more, so an unexpected extra letter would be seen too.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return letters;
  } finally {
    await consumer.disconnect();
  }
}
