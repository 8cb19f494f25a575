import type { ServiceProcess } from '@pg2ddb/service';
import { DynamoFaultProxy, eventually, exampleSources, paymentKey, paymentPut, readStackEnv, TestPipeline, WritesInjector } from '@pg2ddb/testing';

// Two writers must never own one partition (DESIGN invariant 2 under rebalances). Writer A reads
// the stored versions, then DynamoDB goes down before its write lands; a second writer B joins the
// group (a rebalance) and, once it owns the partitions, writes a newer command for the same items.
// When DynamoDB comes back, A's old write must not land over B's newer state: A stops writing once
// a heartbeat says the group is rebalancing, and any write of its that follows a retry is conditional.
const ITEMS = 24;

describe('writer: one owner per partition across a rebalance while DynamoDB is down', () => {
  let pipeline: TestPipeline;
  let proxy: DynamoFaultProxy;
  let writes: WritesInjector;
  let writerB: ServiceProcess | undefined;

  const ids = Array.from({ length: ITEMS }, (_, index) => index + 1);

  const send = (n: number) => writes.send(ids.map((id) => paymentPut(pipeline.names.table, id, n)));

  async function statuses(): Promise<string[]> {
    return Promise.all(ids.map(async (id) => ((await pipeline.item(paymentKey(id)))?.PaymentStatus as { S: string } | undefined)?.S ?? 'none'));
  }

  beforeAll(async () => {
    proxy = await DynamoFaultProxy.start(readStackEnv().PG2DDB_DYNAMO_ENDPOINT as string);
    pipeline = await TestPipeline.start({
      ...exampleSources('payments'),
      services: ['writer'],
      // Writer A goes through the proxy and keeps retrying one write for long (as with a long
      // outage and a patient retry policy); the SDK's own retries are off so each failure reaches it.
      serviceEnv: {
        writer: {
          PG2DDB_DYNAMO_ENDPOINT: proxy.endpoint,
          PG2DDB_DYNAMO_SDK_MAX_ATTEMPTS: '1',
          PG2DDB_WRITER_MAX_ATTEMPTS: '100',
          PG2DDB_WRITER_RETRY_BASE_MS: '1000',
          PG2DDB_WRITER_RETRY_MAX_MS: '2000',
        },
      },
    });
    writes = await WritesInjector.connect(pipeline, 'fencing');
  });

  afterAll(async () => {
    await writerB?.stop();
    await writes?.disconnect();
    await pipeline?.stop();
    await proxy?.stop();
  });

  it('keeps the newer state written by the new owner when the old owner\'s write could land late', async () => {
    await send(1);
    await eventually(async () => expect(await statuses()).toEqual(ids.map(() => 'V1')), { timeoutMs: 60_000 });

    // DynamoDB refuses writes: A reads the versions of the v2 commands, then its writes fail...
    proxy.faults = { fail: 1, operations: ['BatchWriteItem', 'PutItem', 'DeleteItem', 'UpdateItem'] };
    await send(2);
    await eventually(async () => expect(proxy.counts.failed).toBeGreaterThan(0), { timeoutMs: 30_000 });
    // ...and then DynamoDB is down altogether for A.
    proxy.faults = { fail: 1 };

    // B joins the group (a rebalance) with a working DynamoDB and owns partitions once it is ready.
    writerB = await pipeline.startReplica('writer', 'writer-b', {}, 150_000);
    // The newer command, written by whoever owns each item now.
    await send(3);
    await eventually(async () => expect((await statuses()).filter((status) => status === 'V3').length).toBeGreaterThan(0), { timeoutMs: 150_000, intervalMs: 1000 });
    await new Promise((resolve) => setTimeout(resolve, 5000));

    // DynamoDB comes back for A: whatever A still had in flight must not replace V3.
    proxy.faults = {};
    await writes.drained(120_000);
    await eventually(async () => expect(await statuses()).toEqual(ids.map(() => 'V3')), { timeoutMs: 60_000 });
    // And it stays so once every late retry had its chance.
    await new Promise((resolve) => setTimeout(resolve, 8000));
    expect(await statuses()).toEqual(ids.map(() => 'V3'));
  });
});
