import { kill } from 'node:process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createKafka, ensureTopics, KafkaBatchServer, type IncomingBatch } from '@pg2ddb/kafka';
import { eventually, randomId, readStackEnv, stackDir } from '@pg2ddb/testing';
import { PartitionAssigners, type Consumer, type PartitionAssigner } from 'kafkajs';

// Issue 13, defect 8: the health of the batch transport stuck. After kafkajs restarted a crashed
// consumer it stayed "not ready" for good; after a crash kafkajs will not restart, or a consume loop
// that stalled, it stayed "live" for good. Real kafkajs against the stack's real broker.
const env = readStackEnv();
const brokers = env.PG2DDB_KAFKA_BROKERS!.split(',');

function brokerPid(): number {
  return Number(readFileSync(join(stackDir(), 'kafka.pid'), 'utf8').trim());
}

async function listening(server: KafkaBatchServer): Promise<void> {
  await new Promise<void>((resolve, reject) => void server.listen((error?: unknown) => (error ? reject(error) : resolve())));
}

describe('batch transport health on the real broker', () => {
  const closers: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    while (closers.length > 0) await closers.pop()!().catch(() => undefined);
  });

  function server(topic: string, groupId: string, handle: (batch: IncomingBatch) => Promise<void>, stallMs = 300_000): KafkaBatchServer {
    // Short timeouts so a broker that stops answering crashes the consumer within seconds.
    const kafka = createKafka({ brokers, clientId: groupId, connectionTimeout: 1000, requestTimeout: 2000, retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 500 } });
    const instance = new KafkaBatchServer({ kafka, groupId, subscriptions: [{ pattern: 'p', topics: [topic], fromBeginning: true }], stallMs, shutdownTimeoutMs: 3000 });
    instance.addHandler('p', handle, true);
    closers.push(() => instance.close());
    return instance;
  }

  async function produce(topic: string, value: string): Promise<void> {
    const producer = createKafka({ brokers, clientId: 'health-test' }).producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value }] });
    await producer.disconnect();
  }

  it('is ready again after kafkajs restarts a consumer that crashed while the broker was away', async () => {
    const topic = randomId('health');
    await ensureTopics(createKafka({ brokers, clientId: 'health-test' }), [topic]);
    const seen: string[] = [];
    const subject = server(topic, `${topic}.group`, async (batch) => {
      seen.push(...batch.messages.map((m) => String(m.value)));
    });
    await listening(subject);
    await eventually(() => expect(subject.isReady()).toBe(true), { timeoutMs: 30_000 });

    const pid = brokerPid();
    kill(pid, 'SIGSTOP');
    try {
      await eventually(() => expect(subject.isReady()).toBe(false), { timeoutMs: 30_000 });
    } finally {
      kill(pid, 'SIGCONT');
    }
    expect(subject.isLive()).toBe(true);
    await eventually(() => expect(subject.isReady()).toBe(true), { timeoutMs: 90_000, intervalMs: 500 });
    await produce(topic, 'after the restart');
    await eventually(() => expect(seen).toContain('after the restart'), { timeoutMs: 30_000 });
  });

  it('is not live after a crash kafkajs will not restart', async () => {
    const topic = randomId('health');
    const groupId = `${topic}.group`;
    await ensureTopics(createKafka({ brokers, clientId: 'health-test' }), [topic]);
    // A member of the same group that speaks another assignment protocol: the broker refuses the
    // next member with INCONSISTENT_GROUP_PROTOCOL, which kafkajs does not retry.
    const other: PartitionAssigner = (config) => {
      const roundRobin = PartitionAssigners.roundRobin(config);
      return { ...roundRobin, name: 'OtherAssigner', protocol: (subscription) => ({ ...roundRobin.protocol(subscription), name: 'OtherAssigner' }) };
    };
    const foreign: Consumer = createKafka({ brokers, clientId: 'foreign' }).consumer({ groupId, partitionAssigners: [other] });
    await foreign.connect();
    closers.push(() => foreign.disconnect());
    await foreign.subscribe({ topics: [topic] });
    let foreignJoined = false;
    foreign.on(foreign.events.GROUP_JOIN, () => (foreignJoined = true));
    await foreign.run({ eachMessage: async () => undefined });
    await eventually(() => expect(foreignJoined).toBe(true), { timeoutMs: 30_000 });

    const subject = server(topic, groupId, async () => undefined);
    await listening(subject);
    await eventually(() => expect(subject.isLive()).toBe(false), { timeoutMs: 30_000 });
    expect(subject.isReady()).toBe(false);
  });

  it('is not live when its consume loop stalls, and live while it merely retries', async () => {
    const topic = randomId('health');
    await ensureTopics(createKafka({ brokers, clientId: 'health-test' }), [topic]);
    let mode: 'hang' | 'fail' = 'fail';
    let attempts = 0;
    const subject = server(
      topic,
      `${topic}.group`,
      async () => {
        attempts++;
        if (mode === 'fail') throw new Error('downstream unavailable');
        await new Promise(() => undefined); // never settles: the loop is stuck in the handler
      },
      8000,
    );
    await listening(subject);
    await eventually(() => expect(subject.isReady()).toBe(true), { timeoutMs: 30_000 });
    await produce(topic, 'x');
    // Failing and retrying with backoff for longer than the stall time: alive.
    await eventually(() => expect(attempts).toBeGreaterThanOrEqual(3), { timeoutMs: 30_000 });
    const retryingSince = Date.now();
    while (Date.now() - retryingSince < 10_000) {
      expect(subject.isLive()).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    mode = 'hang';
    await eventually(() => expect(subject.isLive()).toBe(false), { timeoutMs: 60_000, intervalMs: 500 });
  });
});
