import { writeCommandKey, type WriteCommand } from '@pg2ddb/contracts';
import { DeadLetterCollector, DynamoFaultProxy, eventually, exampleSources, paymentKey as key, paymentPut, readStackEnv, TestPipeline, WritesInjector } from '@pg2ddb/testing';

// DynamoDB errors the SDK cannot name are faults, not verdicts on the data: they are retried, and
// dead-lettered (with their message) only when they outlast PG2DDB_WRITER_UNKNOWN_ERROR_BATCH_ATTEMPTS
// attempts at the batch. A batch retried as a whole reads no stored version twice.

describe('writer: unknown DynamoDB errors and whole-batch retries on the real stack', () => {
  let pipeline: TestPipeline;
  let proxy: DynamoFaultProxy;
  let writes: WritesInjector;
  let dlq: DeadLetterCollector;

  const put = (id: string, n: number): WriteCommand => paymentPut(pipeline.names.table, id, n);
  /** One produce call into partition 0: the writer sees the commands as one batch. */
  const send = (commands: WriteCommand[]) => writes.send(commands, 0);
  const drained = () => writes.drained(120_000);
  const letters = () => dlq.letters;

  beforeAll(async () => {
    proxy = await DynamoFaultProxy.start(readStackEnv().PG2DDB_DYNAMO_ENDPOINT as string);
    pipeline = await TestPipeline.start({
      ...exampleSources('payments'),
      services: ['writer'],
      serviceEnv: {
        writer: {
          PG2DDB_DYNAMO_ENDPOINT: proxy.endpoint,
          PG2DDB_DYNAMO_SDK_MAX_ATTEMPTS: '1',
          PG2DDB_WRITER_MAX_ATTEMPTS: '2',
          PG2DDB_WRITER_RETRY_BASE_MS: '10',
          PG2DDB_WRITER_RETRY_MAX_MS: '200',
          PG2DDB_WRITER_UNKNOWN_ERROR_BATCH_ATTEMPTS: '4',
        },
      },
    });
    writes = await WritesInjector.connect(pipeline, 'unknown');
    dlq = await DeadLetterCollector.start(pipeline);
  });

  afterAll(async () => {
    await dlq?.stop();
    await writes?.disconnect();
    await pipeline?.stop();
    await proxy?.stop();
  });

  it('retries writes failing with an unknown error and dead-letters nothing', async () => {
    proxy.faults = { unknown: 1, operations: ['BatchWriteItem', 'PutItem'] };
    const ids = Array.from({ length: 20 }, (_, index) => `u${index}`);
    await send(ids.map((id) => put(id, 1)));
    // A short spell of unknown errors, well within the attempts.
    await eventually(async () => expect(proxy.counts.unknown).toBeGreaterThanOrEqual(2), { timeoutMs: 30_000, intervalMs: 10 });
    proxy.faults = {};
    await eventually(async () => {
      for (const id of ids) expect(await pipeline.item(key(id))).toMatchObject({ PaymentStatus: { S: 'V1' } });
    }, { timeoutMs: 60_000 });
    await drained();
    expect(letters()).toEqual([]);
  });

  it('reads the stored versions once while it retries a batch as a whole', async () => {
    const before = proxy.counts.requests.BatchGetItem ?? 0;
    const failedBefore = proxy.counts.failed;
    proxy.faults = { fail: 1, operations: ['BatchWriteItem', 'PutItem', 'DeleteItem', 'UpdateItem'] };
    const ids = Array.from({ length: 10 }, (_, index) => `c${index}`);
    await send(ids.map((id) => put(id, 2)));
    // Each attempt at the batch makes at least two failed write calls (the batch, then its conditional retry).
    await eventually(async () => expect(proxy.counts.failed - failedBefore).toBeGreaterThanOrEqual(8), { timeoutMs: 60_000 });
    proxy.faults = {};
    await drained();
    for (const id of ids) expect(await pipeline.item(key(id))).toMatchObject({ PaymentStatus: { S: 'V2' } });
    expect((proxy.counts.requests.BatchGetItem ?? 0) - before).toBe(1);
    expect(letters()).toEqual([]);
  });

  it('dead-letters a command whose unknown error outlasts its attempts, with the message, and goes on', async () => {
    proxy.faults = { unknown: 1, operations: ['BatchWriteItem', 'PutItem'] };
    await send([put('stuck', 3)]);
    await eventually(async () => expect(letters().length).toBe(1), { timeoutMs: 60_000 });
    proxy.faults = {};
    expect(letters()[0]).toMatchObject({ stage: 'writer', code: 'DYNAMO_UNKNOWN', original: { key: writeCommandKey(put('stuck', 3)) } });
    expect(letters()[0]?.message).toMatch(/UnrecognizedFaultException/);
    await drained();
    await send([put('after', 4)]);
    await drained();
    expect(await pipeline.item(key('after'))).toMatchObject({ PaymentStatus: { S: 'V4' } });
  });
});
