import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, repoRoot } from '@pg2ddb/service';
import { cachedComponentDir, launchProcess } from './java-process';
import { testTempDir } from './temp-dir';

/**
 * A DynamoDB emulator (moto's server mode, the stack's own) of one test's or the benchmark's own,
 * which the test may freeze and thaw (an outage: requests hang and time out, as when DynamoDB or
 * the network to it stops answering) without disturbing the shared stack. moto keeps its tables in
 * memory, so a kill loses them: an outage that must keep the data is a freeze, not a kill.
 */
export class PrivateDynamoEmulator {
  private child?: ChildProcess;
  private exited?: Promise<void>;

  private constructor(
    readonly port: number,
    private readonly workDir: string,
  ) {}

  /** Starts the emulator on a free port; resolves once it answers ListTables. */
  static async start(timeoutMs = 60_000): Promise<PrivateDynamoEmulator> {
    const workDir = testTempDir('private-dynamo');
    const instance = new PrivateDynamoEmulator(await freePort(), workDir);
    const python = join(cachedComponentDir('moto'), 'bin', 'python');
    const started = await launchProcess(
      'private DynamoDB emulator (moto)',
      python,
      [join(repoRoot(), 'infra/local/moto/serve.py'), '-H', '127.0.0.1', '-p', String(instance.port)],
      join(workDir, 'dynamodb.log'),
      async () => (await listTables(instance.endpoint)) === 200,
      timeoutMs,
    );
    instance.child = started.child;
    instance.exited = started.exited;
    return instance;
  }

  /** The emulator's pid while it runs (for CPU and memory figures). */
  get pid(): number | undefined {
    return this.child?.exitCode === null ? this.child.pid : undefined;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** SIGSTOP: the process stops answering but keeps its tables (an outage). */
  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  /** SIGCONT: the frozen process answers again, with its tables as they were. */
  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  /** Kills the process (its tables are gone) and removes its log directory. */
  async destroy(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null) {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
      await this.exited;
    }
    rmSync(this.workDir, { recursive: true, force: true });
  }
}

/** POSTs a ListTables call (any credentials: the emulator does not check signatures). */
async function listTables(endpoint: string): Promise<number> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': 'DynamoDB_20120810.ListTables',
      Authorization: 'AWS4-HMAC-SHA256 Credential=local/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: '{}',
    signal: AbortSignal.timeout(1000),
  });
  return response.status;
}
