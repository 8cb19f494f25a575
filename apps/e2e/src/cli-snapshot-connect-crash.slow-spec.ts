import { changeTopic } from '@pg2ddb/contracts';
import { createKafka, notificationTopic, watchNotifications } from '@pg2ddb/kafka';
import { eventually, PrivateConnectWorker, readStackEnv, TestPipeline } from '@pg2ddb/testing';
import { EVENTS_MAPPING, eventsSchemaSql, runCli, watchIncrementalReads } from './cli-support';

// `pg2ddb snapshot` survives a crash of Kafka Connect itself: the test's connector runs on a
// Connect worker of its own, which is killed with SIGKILL mid-snapshot and started again. The
// incremental snapshot resumes from the offsets Connect had committed: it finishes, every row is
// read, and only the chunks after the last offset flush are read a second time — not the table.
const ROWS = 3000;
const CHUNK = 25;

describe('pg2ddb snapshot across a Kafka Connect crash', () => {
  let worker: PrivateConnectWorker;
  let pipeline: TestPipeline;
  let env: Record<string, string>;

  beforeAll(async () => {
    worker = await PrivateConnectWorker.start(readStackEnv().PG2DDB_KAFKA_BROKERS as string);
    pipeline = await TestPipeline.start({
      mapping: EVENTS_MAPPING,
      connectUrl: worker.url,
      schemaSql: eventsSchemaSql(ROWS),
    });
    env = { PG2DDB_TOPIC_PREFIX: pipeline.names.prefix, PG2DDB_CONNECT_URL: worker.url };
    await eventually(async () => expect((await pipeline.items()).length).toBe(ROWS), { timeoutMs: 120000, intervalMs: 1000 });
  }, 300000);

  afterAll(async () => {
    await pipeline?.stop();
    await worker?.destroy();
  });

  it('resumes from committed offsets after SIGKILL of the worker, without reading the table again', async () => {
    const apply = runCli(['connector', 'apply', '--mapping', pipeline.mappingFile], { ...env, PG2DDB_SNAPSHOT_CHUNK_SIZE: String(CHUNK) });
    expect(apply.output).toContain('updated and RUNNING');

    // Count the incremental-snapshot reads Debezium produces on the change topic from now on.
    const kafka = createKafka({ brokers: pipeline.env.PG2DDB_KAFKA_BROKERS!.split(','), clientId: `${pipeline.names.id}-count` });
    const topic = changeTopic(pipeline.names.prefix, pipeline.names.schema, 'events');
    const { reads, stop: stopCounting } = await watchIncrementalReads(kafka, topic, `${pipeline.names.id}-count`);

    const signalled = runCli(['snapshot', 'Event', '--mapping', pipeline.mappingFile, '--no-wait', '--json'], env);
    expect(signalled.status).toBe(0);
    const { signalId } = JSON.parse(signalled.stdout) as { signalId: string };
    const watcher = await watchNotifications(kafka, notificationTopic(pipeline.names.prefix), (n) => n.id === signalId && n.type === 'COMPLETED');

    await eventually(() => expect(reads.length).toBeGreaterThanOrEqual(ROWS * 0.3), { timeoutMs: 60000, intervalMs: 20 });
    await worker.kill();
    const readAtKill = reads.length;
    expect(readAtKill).toBeLessThan(ROWS);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await worker.resume();
    // The worker restarts the connector from its stored config; the status command sees it running.
    await eventually(async () => expect(runCli(['connector', 'status', '--mapping', pipeline.mappingFile], env).output).toMatch(/RUNNING/), { timeoutMs: 60000, intervalMs: 1000 });

    await Promise.race([watcher.done, new Promise((_, reject) => setTimeout(() => reject(new Error('no COMPLETED notification after the restart')), 150000))]);
    await eventually(() => expect(new Set(reads).size).toBe(ROWS), { timeoutMs: 30000 });
    await stopCounting();
    const rereads = reads.length - new Set(reads).size;
    process.stdout.write(`snapshot across a Connect SIGKILL: ${ROWS} rows, ${reads.length} reads, ${readAtKill} before the kill, ${rereads} read again after the restart (chunk ${CHUNK})\n`);
    // Resumed, not restarted: what was read again is the work since the last offset flush (1 s),
    // a small part of what had been read before the kill.
    expect(rereads).toBeLessThan(readAtKill / 2);
    expect(reads.length).toBeLessThan(ROWS + readAtKill / 2);
    await eventually(async () => expect((await pipeline.items()).length).toBe(ROWS), { timeoutMs: 90000, intervalMs: 1000 });
  }, 400000);
});
