import { DeleteTableCommand, type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { WriteCommand } from '@pg2ddb/contracts';

import { deleteCommand, putCommand, updateCommand, version } from '../write/command.fixture';
import { DynamoErrorCode } from '../sdk/dynamo-error';
import { fromSdkItem } from '../sdk/from-sdk-attribute-value';
import { persistCommands, type PersistOptions } from '../write/persist-commands';
import { tombstoneTableName, TombstoneTables } from '../table/tombstone-table';
import { integrationClient, randomTableName, readItem, simpleSpec, withTable } from './dynamo-emulator.fixture';

describe('persistCommands (DynamoDB emulator)', () => {
  let client: DynamoDBClient;
  let table: string;
  let dropTable: () => Promise<void>;
  let options: PersistOptions;

  beforeAll(() => {
    client = integrationClient();
  });

  afterAll(() => {
    client.destroy();
  });

  beforeEach(async () => {
    table = randomTableName('persist');
    dropTable = await withTable(client, simpleSpec(table));
    options = {
      concurrency: 4,
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
      tombstones: new TombstoneTables(client),
      tombstoneTtlSeconds: 3600,
    };
  });

  afterEach(async () => {
    await dropTable();
    await client.send(new DeleteTableCommand({ TableName: tombstoneTableName(table) })).catch(() => undefined);
  });

  const persist = (commands: WriteCommand[]) => persistCommands(client, commands, options);
  const statuses = (result: Awaited<ReturnType<typeof persist>>) => result.outcomes.map((outcome) => outcome.status);

  it('writes a batch of new items, more than one BatchWriteItem call holds', async () => {
    const commands = Array.from({ length: 120 }, (_, i) => putCommand(table, `USER#${i}`, 1, { n: { N: String(i) } }));
    const result = await persist(commands);
    expect(result.counts).toEqual({ applied: 120, stale: 0, superseded: 0, failed: 0 });
    expect(await readItem(client, table, 'USER#119')).toEqual({ pk: { S: 'USER#119' }, n: { N: '119' }, _ver: { S: version(1) } });
  });

  it('keeps the newest state for duplicates and out-of-order commands, inside a batch and across batches', async () => {
    const first = await persist([putCommand(table, 'A', 2, { v: { S: 'two' } }), putCommand(table, 'A', 1, { v: { S: 'one' } }), putCommand(table, 'A', 2, { v: { S: 'two' } })]);
    expect(statuses(first)).toEqual(['applied', 'superseded', 'superseded']);
    const second = await persist([putCommand(table, 'A', 1, { v: { S: 'one' } }), putCommand(table, 'A', 2, { v: { S: 'again' } })]);
    expect(statuses(second)).toEqual(['stale', 'stale']);
    expect((await readItem(client, table, 'A'))?.v).toEqual({ S: 'two' });
  });

  it('never resurrects a deleted item: an older put after the delete is stale, in a later batch or the same one', async () => {
    await persist([putCommand(table, 'A', 1, { v: { S: 'one' } }), putCommand(table, 'B', 1)]);
    expect(statuses(await persist([deleteCommand(table, 'A', 3)]))).toEqual(['applied']);
    expect(await readItem(client, table, 'A')).toBeUndefined();
    expect(statuses(await persist([putCommand(table, 'A', 2, { v: { S: 'late' } })]))).toEqual(['stale']);
    expect(await readItem(client, table, 'A')).toBeUndefined();

    expect(statuses(await persist([deleteCommand(table, 'B', 5), putCommand(table, 'B', 4)]))).toEqual(['applied', 'superseded']);
    expect(statuses(await persist([putCommand(table, 'B', 4)]))).toEqual(['stale']);
    expect(await readItem(client, table, 'B')).toBeUndefined();

    // The tombstone sits in the companion table, never in the synced one.
    const { Item } = await client.send(new GetItemCommand({ TableName: tombstoneTableName(table), Key: { pk: { S: 'A' } }, ConsistentRead: true }));
    expect(fromSdkItem(Item ?? {})).toEqual({ pk: { S: 'A' }, _ver: { S: version(3) }, _expires: { N: expect.stringMatching(/^\d+$/) } });
  });

  it('lets a newer put re-create a deleted item', async () => {
    await persist([putCommand(table, 'A', 1), deleteCommand(table, 'A', 2)]);
    expect(statuses(await persist([putCommand(table, 'A', 3, { v: { S: 'back' } })]))).toEqual(['applied']);
    expect((await readItem(client, table, 'A'))?.v).toEqual({ S: 'back' });
  });

  it('applies partial updates in order with the conditional path, honouring tombstones', async () => {
    await persist([putCommand(table, 'A', 1, { v: { S: 'one' }, w: { S: 'w' } })]);
    const result = await persist([updateCommand(table, 'A', 2, { v: { S: 'two' } }), updateCommand(table, 'A', 3, {}, ['w'])]);
    expect(statuses(result)).toEqual(['applied', 'applied']);
    expect(await readItem(client, table, 'A')).toEqual({ pk: { S: 'A' }, v: { S: 'two' }, _ver: { S: version(3) } });
    await persist([deleteCommand(table, 'A', 4)]);
    expect(statuses(await persist([updateCommand(table, 'A', 3, { v: { S: 'late' } })]))).toEqual(['stale']);
    expect(await readItem(client, table, 'A')).toBeUndefined();
  });

  it('fails only the item over 400 KB, permanently, and writes the others of its batch call', async () => {
    const big = putCommand(table, 'BIG', 1, { blob: { S: 'x'.repeat(410_000) } });
    const commands = [putCommand(table, 'A', 1), big, putCommand(table, 'B', 1)];
    const result = await persist(commands);
    expect(statuses(result)).toEqual(['applied', 'failed', 'applied']);
    const failure = result.outcomes[1];
    expect(failure?.status === 'failed' && failure.error.code).toBe(DynamoErrorCode.ITEM_TOO_LARGE);
    expect(failure?.status === 'failed' && failure.error.retriable).toBe(false);
    expect(await readItem(client, table, 'A')).toBeDefined();
    expect(await readItem(client, table, 'B')).toBeDefined();
    expect(await readItem(client, table, 'BIG')).toBeUndefined();
  });

  it('refuses a command whose key does not fit the table, and writes the rest', async () => {
    const wrongType: WriteCommand = { ...putCommand(table, 'X', 1), key: { pk: { N: '7' } }, item: { pk: { N: '7' } } };
    const result = await persist([putCommand(table, 'A', 1), wrongType]);
    expect(statuses(result)).toEqual(['applied', 'failed']);
    const failure = result.outcomes[1];
    expect(failure?.status === 'failed' && failure.error.code).toBe(DynamoErrorCode.INVALID_KEY);
  });

  it('reports a missing table as retriable and writes nothing', async () => {
    await expect(persistCommands(client, [putCommand(`${table}-absent`, 'A', 1)], options)).rejects.toMatchObject({
      code: DynamoErrorCode.TABLE_NOT_FOUND,
      retriable: true,
    });
  });
});
