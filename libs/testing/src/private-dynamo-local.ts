import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@pg2ddb/service';
import { cachedComponentDir, launchJava } from './java-process';

/**
 * A DynamoDB Local of one test's own, which the test may stop and start again (to simulate an
 * outage) without disturbing the shared stack. Its data lives in a directory (`-dbPath`), so a
 * restart keeps the items. Uses the jars `infra/local/stack.sh fetch` put in the cache.
 */
export class PrivateDynamoLocal {
  private child?: ChildProcess;
  private exited?: Promise<void>;

  private constructor(
    readonly port: number,
    private readonly dataDir: string,
    private readonly logFile: string,
  ) {}

  static async start(): Promise<PrivateDynamoLocal> {
    // DynamoDB Local's SQLite syncs every write: on tmpfs it is ~3x faster than on disk.
    const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
    const dataDir = mkdtempSync(join(base, 'pg2ddb-private-dynamo-'));
    const instance = new PrivateDynamoLocal(await freePort(), dataDir, join(dataDir, 'dynamodb.log'));
    await instance.resume();
    return instance;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Kills the process (SIGKILL: an outage, not a clean shutdown). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGKILL');
    await this.exited;
  }

  /** Kills the process and removes its data. */
  async destroy(): Promise<void> {
    await this.kill();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** Starts the process again on the same port and data directory; resolves once it answers. */
  async resume(timeoutMs = 60_000): Promise<void> {
    const jarDir = cachedComponentDir('dynamodb');
    const started = await launchJava(
      'private DynamoDB Local',
      ['-Xms64m', '-Xmx256m', `-Djava.library.path=${join(jarDir, 'native')}`, '-cp', `${join(jarDir, 'lib')}/*`,
        'com.amazonaws.services.dynamodbv2.local.main.ServerRunner', '-dbPath', this.dataDir, '-sharedDb', '-disableTelemetry', '-port', String(this.port)],
      this.logFile,
      async () => (await fetch(this.endpoint, { method: 'POST', signal: AbortSignal.timeout(1000) })).status > 0,
      timeoutMs,
    );
    this.child = started.child;
    this.exited = started.exited;
  }
}
