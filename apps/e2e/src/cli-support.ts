import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '@pg2ddb/service';
import type { Kafka } from 'kafkajs';

const root = repoRoot();

/** Runs `pg2ddb <args>` as a child process (like an operator or CI would) and waits for it. */
export function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 180000) {
  const result = spawnSync(process.execPath, ['-r', '@swc-node/register', join(root, 'apps/cli/src/main.ts'), ...args], {
    cwd: root,
    env: { ...process.env, ...env } as Record<string, string>,
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, output: `${result.stdout}${result.stderr}` };
}

/** The same, without blocking the test's event loop (for commands that run while the test acts). */
export function runCliAsync(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join(root, 'apps/cli/src/main.ts'), ...args], {
      cwd: root,
      env: { ...process.env, ...env } as Record<string, string>,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** The command line to run the cli from a shell (tmux). */
export function cliShellCommand(args: string[]): string {
  return [process.execPath, '-r', '@swc-node/register', join(root, 'apps/cli/src/main.ts'), ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
}

/**
 * Counts, from now on, the incremental-snapshot reads Debezium writes to a change topic: the ids of
 * the rows read, in order, so a test can see how much of a table was read and what was read twice.
 */
export async function watchIncrementalReads(kafka: Kafka, topic: string, groupId: string): Promise<{ reads: number[]; stop: () => Promise<void> }> {
  const admin = kafka.admin();
  await admin.connect();
  const startOffset = BigInt((await admin.fetchTopicOffsets(topic))[0]!.high);
  await admin.disconnect();
  const reads: number[] = [];
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      if (BigInt(message.offset) < startOffset || !message.value) return;
      const payload = JSON.parse(message.value.toString()).payload as { op: string; source: { snapshot: string }; after: { id: number } };
      if (payload.op === 'r' && payload.source.snapshot === 'incremental') reads.push(payload.after.id);
    },
  });
  return { reads, stop: () => consumer.disconnect() };
}

/** The snapshot tests' source: one `events` table, keyed `EVENT#{id}`, dated over 91 days of 2024. */
export const EVENTS_MAPPING = `
version: 1
table: { name: placeholder, partitionKey: { name: PK, type: S } }
entities:
  - name: Event
    source: { table: events }
    primaryKey: [id]
    columns: { id: integer, created_at: timestamptz, note: text }
    key: { pk: "EVENT#{id}" }
`;

/** Creates `events` with `rows` rows, spread over 91 days from 2024-01-01. */
export function eventsSchemaSql(rows: number): string {
  return `CREATE TABLE events (id integer PRIMARY KEY, created_at timestamptz NOT NULL, note text);
          INSERT INTO events SELECT i, timestamptz '2024-01-01 12:00:00+00' + ((i % 91) || ' days')::interval, 'note ' || i
            FROM generate_series(1, ${rows}) AS i;`;
}
