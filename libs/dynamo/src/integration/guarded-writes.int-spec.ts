import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { WriteCommand } from '@pg2ddb/contracts';

import { applyBatch } from '../write/apply-batch';
import { applyCommand } from '../write/apply-command';
import { deleteCommand, putCommand, updateCommand, version } from '../write/command.fixture';
import { DynamoErrorCode } from '../sdk/dynamo-error';
import { integrationClient, randomTableName, readItem, simpleSpec, withTable } from './dynamo-emulator.fixture';

describe('guarded writes (DynamoDB emulator)', () => {
  let client: DynamoDBClient;
  let table: string;
  let dropTable: () => Promise<void>;

  beforeAll(() => {
    client = integrationClient();
  });

  afterAll(() => {
    client.destroy();
  });

  // A fresh table per test, so tests never see each other's items.
  beforeEach(async () => {
    table = randomTableName('writes');
    dropTable = await withTable(client, simpleSpec(table));
  });

  afterEach(async () => {
    await dropTable();
  });

  it('keeps the newer version when an older put arrives later (and an equal one is a replay)', async () => {
    await expect(applyCommand(client, putCommand(table, 'USER#1', 2, { name: { S: 'v2' } }))).resolves.toBe('applied');
    await expect(applyCommand(client, putCommand(table, 'USER#1', 1, { name: { S: 'v1' } }))).resolves.toBe('stale');
    await expect(applyCommand(client, putCommand(table, 'USER#1', 2, { name: { S: 'v2 again' } }))).resolves.toBe('stale');
    expect(await readItem(client, table, 'USER#1')).toEqual({ pk: { S: 'USER#1' }, name: { S: 'v2' }, _ver: { S: version(2) } });

    await expect(applyCommand(client, putCommand(table, 'USER#1', 3, { name: { S: 'v3' } }))).resolves.toBe('applied');
    expect((await readItem(client, table, 'USER#1'))?.name).toEqual({ S: 'v3' });
  });

  it('compares versions as source order, not numerically by length (fixed-width hex)', async () => {
    await applyCommand(client, putCommand(table, 'k', 0x10));
    await expect(applyCommand(client, putCommand(table, 'k', 0x9))).resolves.toBe('stale');
    await expect(applyCommand(client, putCommand(table, 'k', 0x100))).resolves.toBe('applied');
  });

  it('guards deletes: an older delete leaves a newer item; a delete of a missing item is fine', async () => {
    await applyCommand(client, putCommand(table, 'k', 5));
    await expect(applyCommand(client, deleteCommand(table, 'k', 4))).resolves.toBe('stale');
    expect(await readItem(client, table, 'k')).toBeDefined();
    await expect(applyCommand(client, deleteCommand(table, 'k', 6))).resolves.toBe('applied');
    expect(await readItem(client, table, 'k')).toBeUndefined();
    await expect(applyCommand(client, deleteCommand(table, 'k', 7))).resolves.toBe('applied');
  });

  it('LIMITATION (no tombstones): an older put after a delete re-creates the item; per-key order converges', async () => {
    await applyCommand(client, putCommand(table, 'k', 2));
    await applyCommand(client, deleteCommand(table, 'k', 3));
    // Nothing remembers v3 once the item is gone, so an out-of-order v2 passes the guard.
    await expect(applyCommand(client, putCommand(table, 'k', 2))).resolves.toBe('applied');
    expect(await readItem(client, table, 'k')).toBeDefined();
    // In per-key (topic) order, any replayed suffix ends with the delete: the item ends deleted.
    await applyCommand(client, deleteCommand(table, 'k', 3));
    expect(await readItem(client, table, 'k')).toBeUndefined();
  });

  it('updates only the named attributes: unavailable (TOASTed) ones stay intact', async () => {
    const big = 'x'.repeat(5000);
    await applyCommand(client, putCommand(table, 'k', 1, { status: { S: 'new' }, note: { S: big }, size: { N: '1' } }));
    await expect(applyCommand(client, updateCommand(table, 'k', 2, { status: { S: 'paid' } }, ['size']))).resolves.toBe('applied');
    expect(await readItem(client, table, 'k')).toEqual({
      pk: { S: 'k' },
      status: { S: 'paid' },
      note: { S: big },
      _ver: { S: version(2) },
    });
    await expect(applyCommand(client, updateCommand(table, 'k', 1, { status: { S: 'stale' } }))).resolves.toBe('stale');
    expect((await readItem(client, table, 'k'))?.status).toEqual({ S: 'paid' });
  });

  it('embeds a child into a map attribute that does not exist yet, on a missing or existing item', async () => {
    // Missing item: the map and the item are created.
    await expect(applyCommand(client, updateCommand(table, 'ORDER#1', 1, { 'lines.v1.2': { M: { qty: { N: '2' } } } }))).resolves.toBe(
      'applied',
    );
    expect(await readItem(client, table, 'ORDER#1')).toEqual({
      pk: { S: 'ORDER#1' },
      lines: { M: { 'v1.2': { M: { qty: { N: '2' } } } } },
      _ver: { S: version(1) },
    });

    // Existing item without the map; then a sibling child, then one removed: siblings stay.
    await applyCommand(client, putCommand(table, 'ORDER#2', 1, { total: { N: '10' } }));
    await expect(applyCommand(client, updateCommand(table, 'ORDER#2', 2, { 'lines.a': { S: 'A' } }))).resolves.toBe('applied');
    await expect(applyCommand(client, updateCommand(table, 'ORDER#2', 3, { 'lines.b': { S: 'B' } }))).resolves.toBe('applied');
    await expect(applyCommand(client, updateCommand(table, 'ORDER#2', 4, {}, ['lines.a']))).resolves.toBe('applied');
    expect(await readItem(client, table, 'ORDER#2')).toEqual({
      pk: { S: 'ORDER#2' },
      total: { N: '10' },
      lines: { M: { b: { S: 'B' } } },
      _ver: { S: version(4) },
    });

    // Removing a child of a map that does not exist leaves an empty map (documented).
    await applyCommand(client, putCommand(table, 'ORDER#3', 1));
    await expect(applyCommand(client, updateCommand(table, 'ORDER#3', 2, {}, ['lines.gone']))).resolves.toBe('applied');
    expect((await readItem(client, table, 'ORDER#3'))?.lines).toEqual({ M: {} });
  });

  it('does not create the map when the version is stale', async () => {
    await applyCommand(client, putCommand(table, 'k', 5));
    await expect(applyCommand(client, updateCommand(table, 'k', 4, { 'lines.a': { S: 'A' } }))).resolves.toBe('stale');
    expect(await readItem(client, table, 'k')).toEqual({ pk: { S: 'k' }, _ver: { S: version(5) } });
  });

  it('fails permanently with INVALID_DOCUMENT_PATH when the parent is not a map', async () => {
    await applyCommand(client, putCommand(table, 'k', 1, { lines: { S: 'not a map' } }));
    await expect(applyCommand(client, updateCommand(table, 'k', 2, { 'lines.a': { S: 'A' } }))).rejects.toMatchObject({
      code: DynamoErrorCode.INVALID_DOCUMENT_PATH,
      retriable: false,
    });
  });

  it('rejects an item over 400 KB as a permanent ITEM_TOO_LARGE', async () => {
    const huge = 'x'.repeat(410 * 1024);
    await expect(applyCommand(client, putCommand(table, 'k', 1, { body: { S: huge } }))).rejects.toMatchObject({
      code: DynamoErrorCode.ITEM_TOO_LARGE,
      retriable: false,
      details: expect.objectContaining({ table, awsError: 'ValidationException' }),
    });
    await applyCommand(client, putCommand(table, 'k', 2));
    await expect(applyCommand(client, updateCommand(table, 'k', 3, { body: { S: huge } }))).rejects.toMatchObject({
      code: DynamoErrorCode.ITEM_TOO_LARGE,
      retriable: false,
    });
  });

  it('rejects a key of the wrong type as a permanent INVALID_KEY', async () => {
    const command = { ...putCommand(table, 'k', 1), key: { pk: { N: '1' } }, item: {} };
    await expect(applyCommand(client, command)).rejects.toMatchObject({ code: DynamoErrorCode.INVALID_KEY, retriable: false });
  });

  it('writes reserved-word, unicode and dotted names and every value type losslessly', async () => {
    const item = {
      pk: { S: 'k' },
      name: { S: 'reserved word' },
      status: { S: 'also reserved' },
      'größe.mit.punkt': { N: '123456789012345678901234567890.12345678' },
      bytes: { B: Buffer.from([0, 255, 1]).toString('base64') },
      nothing: { NULL: true as const },
      flags: { BOOL: true },
      tags: { SS: ['a', 'b'] },
      list: { L: [{ N: '1' }, { M: { '#x': { S: ':y' } } }] },
    };
    await applyCommand(client, { ...putCommand(table, 'k', 1), item });
    expect(await readItem(client, table, 'k')).toEqual({ ...item, _ver: { S: version(1) } });
    await applyCommand(client, updateCommand(table, 'k', 2, { name: { S: 'renamed' }, 'data.a.b': { S: 'dotted child' } }, ['status']));
    const after = await readItem(client, table, 'k');
    expect(after?.name).toEqual({ S: 'renamed' });
    expect(after?.status).toBeUndefined();
    expect(after?.data).toEqual({ M: { 'a.b': { S: 'dotted child' } } });
  });

  it('applyBatch keeps per-item order and reports every outcome in input order', async () => {
    const commands: WriteCommand[] = [
      putCommand(table, 'A', 1, { n: { N: '1' } }),
      putCommand(table, 'B', 1),
      updateCommand(table, 'A', 2, { n: { N: '2' } }),
      deleteCommand(table, 'B', 2),
      putCommand(table, 'C', 1, { body: { S: 'x'.repeat(410 * 1024) } }),
      updateCommand(table, 'A', 3, { 'm.child': { N: '3' } }),
      putCommand(table, 'B', 1),
      putCommand(table, 'C', 2),
    ];
    const result = await applyBatch(client, commands, { concurrency: 4, retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100 } });
    expect(result.outcomes.map((outcome) => outcome.status)).toEqual([
      'applied',
      'applied',
      'applied',
      'applied',
      'failed',
      'applied',
      'applied', // no tombstone: B v1 after delete v2 re-creates it (see README)
      'applied',
    ]);
    expect(result.outcomes[4]).toMatchObject({ error: { code: DynamoErrorCode.ITEM_TOO_LARGE } });
    expect(result.counts).toEqual({ applied: 7, stale: 0, failed: 1 });
    expect(await readItem(client, table, 'A')).toEqual({
      pk: { S: 'A' },
      n: { N: '2' },
      m: { M: { child: { N: '3' } } },
      _ver: { S: version(3) },
    });

    const replay = await applyBatch(client, commands.slice(0, 4), { concurrency: 4, retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 } });
    expect(replay.counts).toEqual({ applied: 1, stale: 3, failed: 0 });
  });
});
