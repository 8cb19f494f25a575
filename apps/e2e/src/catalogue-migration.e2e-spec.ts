import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatchWriteItemCommand, DeleteItemCommand, DeleteTableCommand, PutItemCommand, ScanCommand, type AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import type { AttributeMap, AttributeValue } from '@pg2ddb/contracts';
import { createDynamoClient, ensureTable, fromSdkItem, toSdkItem } from '@pg2ddb/dynamo';
import { compileMapping, loadMapping, mapRow, type CompiledEntity } from '@pg2ddb/mapping';
import { createPgPool, quoteIdent } from '@pg2ddb/postgres';
import { startServiceProcess, type ServiceProcess } from '@pg2ddb/service';
import { catalogueItems, eventually, orderItems, pgConnection, randomId, readStackEnv, testTempDir, userItem } from '@pg2ddb/testing';

import { runCli } from './cli-support';

// A DynamoDB-first catalogue (books, users, orders, order lines in one table) migrated to
// normalised PostgreSQL tables by the way back: `direction switch --to ddb-to-pg` (no forward
// path exists), the DynamoDB source's parallel Scan while the application keeps writing, then the
// stream; PostgreSQL converges to DynamoDB. Reports the load's items/s and the stream's lag.
const example = join(__dirname, '../../../examples/catalogue');
const ORDERS = 600;

describe('catalogue: DynamoDB-first migration to PostgreSQL', () => {
  const env = readStackEnv();
  const id = randomId('cat');
  const workDir = testTempDir(id);
  const definition = loadMapping(readFileSync(join(example, 'mapping.yaml'), 'utf8'), 'catalogue');
  definition.table.name = `pg2ddb-${id}`;
  for (const entity of definition.entities) entity.source.schema = id;
  const mappingFile = join(workDir, 'mapping.json');
  writeFileSync(mappingFile, JSON.stringify(definition, null, 2));
  const mapping = compileMapping(definition, mappingFile);
  const table = mapping.table.name;
  const pg = createPgPool(pgConnection(env), { max: 4, options: '-c TimeZone=UTC' });
  const dynamo = createDynamoClient({ endpoint: env.PG2DDB_DYNAMO_ENDPOINT, region: env.AWS_REGION ?? 'us-east-1' });
  const services: ServiceProcess[] = [];
  const cliEnv = { PG2DDB_TOPIC_PREFIX: id };

  const start = async (name: 'ddb-source' | 'pg-writer') => {
    const service = await startServiceProcess(
      name,
      { ...env, PG2DDB_MAPPING_FILE: mappingFile, PG2DDB_TOPIC_PREFIX: id, PG2DDB_LOG_FORMAT: 'json', PG2DDB_DDB_SOURCE_SCAN_SEGMENTS: '4', PG2DDB_DDB_SOURCE_PAGE_SIZE: '200', PG2DDB_DDB_SOURCE_POLL_MS: '100' },
      join(workDir, `${name}.log`),
    );
    services.push(service);
    await service.ready(240000);
  };

  beforeAll(async () => {
    await pg.query(`CREATE SCHEMA ${quoteIdent(id)}`);
    await pg.query(readFileSync(join(example, 'schema.sql'), 'utf8').replace(/\bcatalogue\b/g, quoteIdent(id)));
    await ensureTable(dynamo, mapping.table);
    const items = catalogueItems(mapping, ORDERS);
    for (let i = 0; i < items.length; i += 25) {
      await dynamo.send(new BatchWriteItemCommand({ RequestItems: { [table]: items.slice(i, i + 25).map((item) => ({ PutRequest: { Item: toSdkItem(item) } })) } }));
    }
  }, 300000);

  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop()));
    await pg.query(`DROP SCHEMA IF EXISTS ${quoteIdent(id)} CASCADE`).catch(() => undefined);
    await pg.query(`DELETE FROM pg2ddb.inbound_items WHERE topic_prefix = $1`, [id]).catch(() => undefined);
    await pg.end();
    await dynamo.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
    dynamo.destroy();
  });

  const scanAll = async (): Promise<AttributeMap[]> => {
    const items: AttributeMap[] = [];
    let startKey: Record<string, SdkAttributeValue> | undefined;
    do {
      const page = await dynamo.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: startKey }));
      items.push(...(page.Items ?? []).map(fromSdkItem));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  };

  /** Every row of an entity's table, mapped to the item it stands for (so sets and numbers compare canonically). */
  const itemsFromPostgres = async (entity: CompiledEntity): Promise<AttributeMap[]> => {
    const columns = entity.columns.map((c) => (['timestamptz', 'date'].includes(entity.columnTypes.get(c)?.family ?? '') ? `${quoteIdent(c)}::text AS ${quoteIdent(c)}` : quoteIdent(c)));
    const { rows } = await pg.query(`SELECT ${columns.join(', ')} FROM ${quoteIdent(id)}.${quoteIdent(entity.table)}`);
    return rows.map((row: Record<string, unknown>) => {
      const mapped = mapRow(entity, row);
      if (mapped.kind !== 'item') throw new Error('whole items');
      return mapped.item;
    });
  };
  const canonical = (items: AttributeMap[]) =>
    items
      .map((item) => Object.fromEntries(Object.entries(item).map(([name, value]) => [name, sortSets(value)])))
      .sort((a, b) => `${a['PK']!['S' as never]}|${a['SK']!['S' as never]}`.localeCompare(`${b['PK']!['S' as never]}|${b['SK']!['S' as never]}`));

  async function expectConverged(): Promise<void> {
    const items = await scanAll();
    for (const entity of mapping.entities) {
      const inDynamo = items.filter((item) => item['type'] && 'S' in item['type'] && item['type'].S === entity.entityType.value);
      expect({ entity: entity.name, items: canonical(await itemsFromPostgres(entity)) }).toEqual({ entity: entity.name, items: canonical(inDynamo) });
    }
  }

  it('loads every item under concurrent writes, follows the stream, and converges', async () => {
    const inverse = runCli(['validate', '--mapping', mappingFile, '--mapping-only'], cliEnv);
    expect(inverse.output).toContain('Book: invertible');
    const switched = runCli(['direction', 'switch', '--to', 'ddb-to-pg', '--mapping', mappingFile, '--json'], cliEnv);
    expect(JSON.parse(switched.stdout)).toMatchObject({ switched: true, evidence: { connector: 'ABSENT' } });
    await start('pg-writer');
    await start('ddb-source');
    // kill -9 in the middle of the Scan: the restart resumes each segment from its checkpoint.
    const segmentProgress = async () =>
      (await pg.query(`SELECT count(*) FILTER (WHERE done) AS done, count(*) AS saved FROM pg2ddb.ddb_source_positions WHERE topic_prefix = $1 AND kind = 'segment'`, [id])).rows[0] as {
        done: string;
        saved: string;
      };
    await eventually(async () => expect(Number((await segmentProgress()).saved)).toBeGreaterThan(0), { timeoutMs: 120000, intervalMs: 50 });
    await services.pop()!.kill('SIGKILL');
    const atKill = await segmentProgress();
    await start('ddb-source');

    // The application keeps writing while the Scan runs: new users, orders that change status
    // (and so their index keys), orders deleted with their lines.
    const users = Math.floor(ORDERS / 4);
    const books = Math.floor(ORDERS / 5);
    for (let n = 0; n < 60; n++) {
      await dynamo.send(new PutItemCommand({ TableName: table, Item: toSdkItem(userItem(mapping, users + n)) }));
      const [order] = orderItems(mapping, n, users, books, { status: 'CANCELLED' });
      await dynamo.send(new PutItemCommand({ TableName: table, Item: toSdkItem(order!) }));
      if (n % 10 === 0) {
        for (const item of orderItems(mapping, ORDERS - 1 - n, users, books)) {
          await dynamo.send(new DeleteItemCommand({ TableName: table, Key: toSdkItem({ PK: item['PK']!, SK: item['SK']! }) }));
        }
      }
    }
    await eventually(() => expectConverged(), { timeoutMs: 300000, intervalMs: 3000 });

    const log = readFileSync(join(workDir, 'ddb-source.log'), 'utf8');
    const loaded = /initial load of \S+ finished: (\d+) items in ([\d.]+) s \((\d+) items\/s\)/.exec(log);
    expect(loaded).not.toBeNull();
    // Killed before the Scan ended: the second run read only what the first had not checkpointed.
    expect(Number(atKill.done)).toBeLessThan(4);

    // Lag of the stream once the load is done: from a DynamoDB write to the row in PostgreSQL.
    const lags: number[] = [];
    for (let n = 0; n < 15; n++) {
      const [order] = orderItems(mapping, 100 + n, users, books, { status: `LAG-${n}` });
      const written = Date.now();
      await dynamo.send(new PutItemCommand({ TableName: table, Item: toSdkItem(order!) }));
      await eventually(async () => expect((await pg.query(`SELECT 1 FROM ${quoteIdent(id)}.orders WHERE order_id = $1 AND status = $2`, [101 + n, `LAG-${n}`])).rowCount).toBe(1), {
        timeoutMs: 30000,
        intervalMs: 20,
      });
      lags.push(Date.now() - written);
    }
    lags.sort((a, b) => a - b);
    const report = { segmentsDoneAtKill: Number(atKill.done), items: Number(loaded![1]), seconds: Number(loaded![2]), itemsPerSecond: Number(loaded![3]), lagMs: { p50: lags[Math.floor(lags.length / 2)], max: lags[lags.length - 1] } };
    writeFileSync(join(workDir, 'catalogue-report.json'), JSON.stringify(report, null, 2));
    process.stdout.write(`catalogue migration: ${JSON.stringify(report)}\n`);
    expect(report.items).toBeLessThan(catalogueItems(mapping, ORDERS).length);

    // The foreign keys of the normalised model hold once the data is complete.
    await pg.query(readFileSync(join(example, 'constraints.sql'), 'utf8').replace(/\bcatalogue\b/g, quoteIdent(id)));
  }, 900000);
});

function sortSets(value: AttributeValue): AttributeValue {
  if ('SS' in value) return { SS: [...value.SS].sort() };
  if ('NS' in value) return { NS: [...value.NS].sort() };
  return value;
}
