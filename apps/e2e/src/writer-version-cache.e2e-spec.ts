import type { ServiceProcess } from '@pg2ddb/service';
import { eventually, exampleSources, paymentKey, paymentPut, TestPipeline, WritesInjector } from '@pg2ddb/testing';
import type { Admin } from 'kafkajs';

// The writer remembers, per partition it owns, the versions it read or wrote, and skips the version
// guard's read for them. That is only sound while nobody else writes the partition's items: a
// partition that moved to another writer and back must come back with nothing remembered. Writer
// A writes v1 of every item; B joins (each owns one of the two partitions) and writes v3; B leaves,
// A owns both again and receives v2 — newer than what A once wrote, older than B's v3. Remembering
// v1 would let A overwrite v3 with v2 (the batch path writes without a condition).
const ITEMS = 24;

describe('writer: the version cache does not survive a revoke', () => {
  let pipeline: TestPipeline;
  let writes: WritesInjector;
  let admin: Admin;
  let writerB: ServiceProcess | undefined;

  const ids = Array.from({ length: ITEMS }, (_, index) => index + 1);

  const send = (n: number) => writes.send(ids.map((id) => paymentPut(pipeline.names.table, id, n)));

  async function statuses(): Promise<string[]> {
    return Promise.all(ids.map(async (id) => ((await pipeline.item(paymentKey(id)))?.PaymentStatus as { S: string } | undefined)?.S ?? 'none'));
  }

  /** Members of the writer group that own at least one partition, once the group is stable. */
  async function owners(): Promise<number> {
    const [group] = (await admin.describeGroups([`${pipeline.names.prefix}.writer`])).groups;
    if (group?.state !== 'Stable') return -1;
    return group.members.filter((member) => member.memberAssignment.length > 16).length;
  }

  async function applied(service: ServiceProcess): Promise<number> {
    const text = await (await fetch(`http://127.0.0.1:${service.httpPort}/metrics`)).text();
    return Number(/^pg2ddb_writer_commands_total\{outcome="applied"\} (\d+)/m.exec(text)?.[1] ?? 0);
  }

  beforeAll(async () => {
    pipeline = await TestPipeline.start({
      ...exampleSources('payments'),
      services: ['writer'],
      serviceEnv: { writer: { PG2DDB_WRITES_PARTITIONS: '2', PG2DDB_WRITER_VERSION_CACHE_ITEMS: '5000' } },
    });
    writes = await WritesInjector.connect(pipeline, 'cache');
    admin = writes.kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await writerB?.stop();
    await writes?.disconnect();
    await admin?.disconnect();
    await pipeline?.stop();
  });

  it("re-reads versions after its partition came back, so another owner's newer write stays", async () => {
    await send(1);
    await eventually(async () => expect(await statuses()).toEqual(ids.map(() => 'V1')), { timeoutMs: 60_000 });

    writerB = await pipeline.startReplica('writer', 'writer-b', { PG2DDB_WRITES_PARTITIONS: '2' });
    await eventually(async () => expect(await owners()).toBe(2), { timeoutMs: 60_000, intervalMs: 500 });
    await send(3);
    await eventually(async () => expect(await statuses()).toEqual(ids.map(() => 'V3')), { timeoutMs: 60_000 });
    // B wrote the items of its partition: A's v1 of them is out of date now.
    expect(await applied(writerB)).toBeGreaterThan(0);

    await writerB.stop();
    writerB = undefined;
    await eventually(async () => expect(await owners()).toBe(1), { timeoutMs: 60_000, intervalMs: 500 });
    await send(2);
    await writes.drained();
    expect(await statuses()).toEqual(ids.map(() => 'V3'));
  });
});
