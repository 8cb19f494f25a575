import type { WriteCommand } from '@pg2ddb/contracts';

import type { RetryEvent } from '@pg2ddb/errors';
import { applyBatch, type ApplyBatchOptions } from './apply-batch';
import { deleteCommand, putCommand, updateCommand, version } from './command.fixture';
import { DynamoErrorCode } from '../sdk/dynamo-error';
import { fakeClient, sdkError, type SentCommand } from '../sdk/fake-client.fixture';

const noWait: Pick<ApplyBatchOptions, 'sleep' | 'retry'> = {
  sleep: async () => undefined,
  retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000 },
};

function keyOf(sent: SentCommand): string {
  const key = (sent.input.Key ?? sent.input.Item) as { pk: { S: string } };
  return key.pk.S;
}

function versionOf(sent: SentCommand): string {
  return (sent.input.ExpressionAttributeValues as { ':ver': { S: string } })[':ver'].S;
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('applyBatch', () => {
  it('applies one item’s commands strictly in order while items run concurrently, bounded', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const order: string[] = [];
    const { client } = fakeClient(async (sent) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      // Later commands answer faster: only the per-item sequencing keeps them in order.
      await tick(Number.parseInt(versionOf(sent), 16) % 2 === 0 ? 1 : 6);
      order.push(`${keyOf(sent)}@${Number.parseInt(versionOf(sent), 16)}`);
      inFlight--;
      return {};
    });
    const commands: WriteCommand[] = [];
    for (let n = 1; n <= 6; n++) {
      for (const key of ['A', 'B', 'C', 'D']) commands.push(n % 3 === 0 ? deleteCommand('t', key, n) : putCommand('t', key, n));
    }
    const result = await applyBatch(client, commands, { concurrency: 3, ...noWait });
    expect(result.counts).toEqual({ applied: 24, stale: 0, failed: 0 });
    for (const key of ['A', 'B', 'C', 'D']) {
      expect(order.filter((entry) => entry.startsWith(`${key}@`))).toEqual([1, 2, 3, 4, 5, 6].map((n) => `${key}@${n}`));
    }
    expect(maxInFlight).toBe(3);
  });

  it('reports outcomes in input order; a permanent failure does not stop the item’s later commands', async () => {
    const { client } = fakeClient((sent) => {
      const n = Number.parseInt(versionOf(sent), 16);
      if (n === 2) throw sdkError('ConditionalCheckFailedException');
      if (n === 3) throw sdkError('ValidationException', 'Item size has exceeded the maximum allowed size');
      return {};
    });
    const result = await applyBatch(
      client,
      [putCommand('t', 'A', 1), putCommand('t', 'A', 2), putCommand('t', 'A', 3), updateCommand('t', 'A', 4, { a: { S: 'x' } })],
      { concurrency: 4, ...noWait },
    );
    expect(result.outcomes.map((outcome) => outcome.status)).toEqual(['applied', 'stale', 'failed', 'applied']);
    expect(result.outcomes[2]).toMatchObject({ attempts: 1, error: { code: DynamoErrorCode.ITEM_TOO_LARGE, retriable: false } });
    expect(result.counts).toEqual({ applied: 2, stale: 1, failed: 1 });
  });

  it('retries retriable failures with exponential full-jitter backoff, then succeeds', async () => {
    let calls = 0;
    const { client } = fakeClient(() => {
      if (++calls <= 2) throw sdkError('ProvisionedThroughputExceededException');
      return {};
    });
    const slept: number[] = [];
    const retries: RetryEvent[] = [];
    const result = await applyBatch(client, [putCommand('t', 'A', 1)], {
      concurrency: 1,
      retry: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 150 },
      random: () => 0.5,
      sleep: async (ms) => {
        slept.push(ms);
      },
      onRetry: (event) => retries.push(event),
    });
    expect(result.outcomes).toEqual([{ status: 'applied' }]);
    expect(slept).toEqual([50, 75]);
    expect(retries.map(({ attempt, delayMs, error, reason }) => [attempt, delayMs, error?.code, reason])).toEqual([
      [1, 50, DynamoErrorCode.THROTTLED, 'throttled'],
      [2, 75, DynamoErrorCode.THROTTLED, 'throttled'],
    ]);
  });

  it('gives up after maxAttempts and holds back the item’s later commands, other items go on', async () => {
    const { client, sent } = fakeClient((command) => {
      if (keyOf(command) === 'A') throw sdkError('InternalServerError');
      return {};
    });
    const result = await applyBatch(
      client,
      [putCommand('t', 'A', 1), putCommand('t', 'B', 1), updateCommand('t', 'A', 2, { x: { S: '1' } }), putCommand('t', 'B', 2)],
      { concurrency: 2, ...noWait },
    );
    expect(result.outcomes.map((outcome) => outcome.status)).toEqual(['failed', 'applied', 'failed', 'applied']);
    expect(result.outcomes[0]).toMatchObject({ attempts: 3, error: { code: DynamoErrorCode.SERVICE_UNAVAILABLE, retriable: true } });
    expect(result.outcomes[2]).toMatchObject({ attempts: 0, error: { code: DynamoErrorCode.PRECEDING_COMMAND_FAILED, retriable: true } });
    expect(sent.filter((command) => keyOf(command) === 'A')).toHaveLength(3);
    expect(result.counts).toEqual({ applied: 2, stale: 0, failed: 2 });
  });

  it('does not retry permanent failures', async () => {
    const { client, sent } = fakeClient(() => {
      throw sdkError('ValidationException', 'One of the required keys was not given a value');
    });
    const result = await applyBatch(client, [putCommand('t', 'A', 1)], { concurrency: 1, ...noWait });
    expect(result.outcomes[0]).toMatchObject({ status: 'failed', attempts: 1, error: { code: DynamoErrorCode.INVALID_KEY } });
    expect(sent).toHaveLength(1);
  });

  it('groups by table and full key, so equal keys in two tables are independent', async () => {
    const seen: string[] = [];
    const { client } = fakeClient(async (sent) => {
      seen.push(`${String(sent.input.TableName)}:${keyOf(sent)}`);
      await tick(1);
      return {};
    });
    await applyBatch(client, [putCommand('t1', 'A', 1), putCommand('t2', 'A', 1)], { concurrency: 2, ...noWait });
    // Both started before either finished: they were not serialised as one item.
    expect(seen).toEqual(['t1:A', 't2:A']);
  });

  it('reports a command too malformed to have a key as a permanent failure', async () => {
    const { client } = fakeClient(() => ({}));
    const malformed = { ...putCommand('t', 'A', 1), key: undefined } as unknown as WriteCommand;
    const result = await applyBatch(client, [malformed, putCommand('t', 'A', 2)], { concurrency: 1, ...noWait });
    expect(result.outcomes[0]).toMatchObject({ status: 'failed', error: { code: DynamoErrorCode.INVALID_COMMAND, retriable: false } });
    expect(result.outcomes[1]).toEqual({ status: 'applied' });
  });

  it('survives an onRetry observer that throws', async () => {
    let calls = 0;
    const { client } = fakeClient(() => {
      if (++calls === 1) throw sdkError('ThrottlingException');
      return {};
    });
    const result = await applyBatch(client, [putCommand('t', 'A', 1)], {
      concurrency: 1,
      ...noWait,
      onRetry: () => {
        throw new Error('observer bug');
      },
    });
    expect(result.counts.applied).toBe(1);
  });

  it('handles an empty batch', async () => {
    const { client } = fakeClient(() => ({}));
    await expect(applyBatch(client, [], { concurrency: 4, ...noWait })).resolves.toEqual({
      outcomes: [],
      counts: { applied: 0, stale: 0, failed: 0 },
    });
  });

  it.each([
    ['zero concurrency', { concurrency: 0 }],
    ['fractional concurrency', { concurrency: 1.5 }],
    ['zero attempts', { retry: { maxAttempts: 0, baseDelayMs: 1, maxDelayMs: 1 } }],
    ['negative delay', { retry: { maxAttempts: 1, baseDelayMs: -1, maxDelayMs: 1 } }],
  ])('refuses %s', async (_label, override) => {
    const { client } = fakeClient(() => ({}));
    await expect(applyBatch(client, [putCommand('t', 'A', 1)], { concurrency: 1, ...noWait, ...override })).rejects.toMatchObject({
      code: DynamoErrorCode.INVALID_OPTIONS,
    });
  });

  it('uses the version the command carries', async () => {
    const { client, sent } = fakeClient(() => ({}));
    await applyBatch(client, [putCommand('t', 'A', 0xabc)], { concurrency: 1, ...noWait });
    expect(versionOf(sent[0] as SentCommand)).toBe(version(0xabc));
  });
});
