import { ConnectClient } from '@pg2ddb/kafka';

/** Resolves with the moment Kafka Connect first reports connector `name` (its registration). */
export async function waitForConnector(connectUrl: string, name: string, timeoutMs: number): Promise<number> {
  const client = new ConnectClient(connectUrl);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await client.status(name).catch(() => undefined)) return Date.now();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`connector ${name} was not registered within ${timeoutMs} ms`);
}
