import { BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { changeTopic } from '@pg2ddb/contracts';
import { toSdkItem } from '@pg2ddb/dynamo';
import { createKafka, notificationTopic, watchNotifications } from '@pg2ddb/kafka';
import { eventually, TestPipeline } from '@pg2ddb/testing';
import type { AttributeMap } from '@pg2ddb/contracts';
import { EVENTS_MAPPING, eventsSchemaSql, runCli, runCliAsync, watchIncrementalReads } from './cli-support';

// `pg2ddb snapshot` on the real stack: Debezium's incremental snapshot through the signal table.
// Items are deleted from DynamoDB behind the pipeline, then a date slice is re-loaded; and a
// whole-table snapshot survives the connector being stopped (its task shut down) mid-way.
const ROWS = 3000;

describe('pg2ddb snapshot', () => {
  let pipeline: TestPipeline;
  let env: Record<string, string>;

  beforeAll(async () => {
    pipeline = await TestPipeline.start({
      mapping: EVENTS_MAPPING,
      schemaSql: eventsSchemaSql(ROWS),
    });
    env = { PG2DDB_TOPIC_PREFIX: pipeline.names.prefix };
    await eventually(async () => expect((await pipeline.items()).length).toBe(ROWS), { timeoutMs: 120000, intervalMs: 1000 });
  }, 240000);

  afterAll(async () => {
    await pipeline?.stop();
  });

  const deleteAllItems = async () => {
    const items = await pipeline.items();
    for (let i = 0; i < items.length; i += 25) {
      const batch = items.slice(i, i + 25).map((item) => ({ DeleteRequest: { Key: toSdkItem({ PK: item.PK } as AttributeMap) } }));
      await pipeline.dynamo.send(new BatchWriteItemCommand({ RequestItems: { [pipeline.names.table]: batch } }));
    }
    expect((await pipeline.items()).length).toBe(0);
  };

  it('re-loads exactly the rows of a date range, and nothing else', async () => {
    await deleteAllItems();
    const run = runCli(['snapshot', 'Event', '--mapping', pipeline.mappingFile, '--from', '2024-02-01', '--to', '2024-02-29', '--timeout', '120', '--json'], env);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as { outcome: string; expectedRows: number; filter: string };
    const slice = (await pipeline.query(`SELECT id FROM events WHERE created_at >= '2024-02-01' AND created_at < '2024-03-01' ORDER BY id`)) as Array<{ id: number }>;
    expect(result.outcome).toBe('completed');
    expect(result.expectedRows).toBe(slice.length);
    expect(result.filter).toBe(`"created_at" >= '2024-02-01T00:00:00.000Z' AND "created_at" < '2024-03-01T00:00:00.000Z'`);
    const expectedKeys = slice.map((row) => `EVENT#${row.id}`).sort();
    await eventually(async () => expect((await pipeline.items()).map((item) => (item.PK as { S: string }).S).sort()).toEqual(expectedKeys), { timeoutMs: 60000, intervalMs: 500 });
    // Nothing outside the slice trickles in afterwards.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect((await pipeline.items()).length).toBe(slice.length);
  }, 200000);

  it('rejects an unknown entity, bad SQL and a missing date column as usage errors', () => {
    expect(runCli(['snapshot', 'Nope', '--mapping', pipeline.mappingFile], env)).toMatchObject({ status: 2 });
    const bad = runCli(['snapshot', 'Event', '--mapping', pipeline.mappingFile, '--where', 'no_such_column = 1'], env);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(`the slice's SQL is invalid: column "no_such_column" does not exist`);
    expect(runCli(['snapshot', 'Event', '--mapping', pipeline.mappingFile, '--from', 'yesterday'], env)).toMatchObject({ status: 2 });
  }, 60000);

  it('resumes after the connector is stopped mid-snapshot, without reading the table again', async () => {
    // Small chunks so the snapshot is still running when the connector is stopped. Re-applying
    // with the same name keeps the connector's offsets.
    const chunk = 25;
    const apply = runCli(['connector', 'apply', '--mapping', pipeline.mappingFile], { ...env, PG2DDB_SNAPSHOT_CHUNK_SIZE: String(chunk) });
    expect(apply.output).toContain('updated and RUNNING');
    await deleteAllItems();

    // Count the incremental-snapshot reads Debezium produces on the change topic from now on.
    const kafka = createKafka({ brokers: pipeline.env.PG2DDB_KAFKA_BROKERS!.split(','), clientId: `${pipeline.names.id}-count` });
    const topic = changeTopic(pipeline.names.prefix, pipeline.names.schema, 'events');
    const { reads, stop: stopCounting } = await watchIncrementalReads(kafka, topic, `${pipeline.names.id}-count`);

    const signalled = runCli(['snapshot', 'Event', '--mapping', pipeline.mappingFile, '--no-wait', '--json'], env);
    expect(signalled.status).toBe(0);
    const { signalId } = JSON.parse(signalled.stdout) as { signalId: string };
    const notifications: string[] = [];
    const watcher = await watchNotifications(kafka, notificationTopic(pipeline.names.prefix), (n) => {
      if (n.id === signalId) notifications.push(n.type);
      return n.id === signalId && n.type === 'COMPLETED';
    });

    await eventually(() => expect(reads.length).toBeGreaterThanOrEqual(ROWS * 0.2), { timeoutMs: 60000, intervalMs: 20 });
    // Simulated crash of the connector: its task is shut down (state STOPPED) and a new task is
    // started later from the offsets Connect committed — the shared worker keeps running.
    const stop = await runCliAsync(['connector', 'stop', '--mapping', pipeline.mappingFile], env);
    expect(stop.status).toBe(0);
    const readAtStop = reads.length;
    expect(readAtStop).toBeLessThan(ROWS);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const whileStopped = reads.length;
    const resume = await runCliAsync(['connector', 'resume', '--mapping', pipeline.mappingFile], env);
    expect(resume.status).toBe(0);

    await Promise.race([watcher.done, new Promise((_, reject) => setTimeout(() => reject(new Error(`no COMPLETED notification; got ${notifications.join(',')}`)), 120000))]);
    await eventually(() => expect(new Set(reads).size).toBe(ROWS), { timeoutMs: 30000 });
    await stopCounting();
    const duplicates = reads.length - new Set(reads).size;
    process.stdout.write(`snapshot resume: ${ROWS} rows, ${reads.length} reads (${readAtStop} before stop, ${whileStopped} once stopped), ${duplicates} re-read after resume, chunk ${chunk}\n`);
    // Resumed from its last committed chunk: at most the chunks in flight are read twice, never the table.
    expect(duplicates).toBeLessThanOrEqual(3 * chunk);
    await eventually(async () => expect((await pipeline.items()).length).toBe(ROWS), { timeoutMs: 90000, intervalMs: 1000 });
  }, 300000);
});
