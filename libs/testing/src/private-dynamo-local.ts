import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@pg2ddb/service';
import { cachedComponentDir, launchJava } from './java-process';

export interface PrivateDynamoLocalOptions {
  /**
   * `-inMemory`: no database file at all. About twice the write rate of a file on tmpfs (40,000
   * items of ~250 B with 16 BatchWriteItem loops: 8,100 vs 3,900 items/s once warm), but a
   * restart (`kill` + `resume`) loses every table.
   */
  inMemory?: boolean;
  /** Java heap (-Xmx), MiB; default 256. */
  heapMiB?: number;
}

/**
 * A DynamoDB Local of one test's (or the benchmark's) own, which the test may stop and start again
 * (to simulate an outage) without disturbing the shared stack. By default its data lives in a
 * directory (`-dbPath`), so a restart keeps the items. Uses the jars `infra/local/stack.sh fetch`
 * put in the cache.
 */
export class PrivateDynamoLocal {
  private child?: ChildProcess;
  private exited?: Promise<void>;

  private constructor(
    readonly port: number,
    private readonly dataDir: string,
    private readonly logFile: string,
    private readonly options: PrivateDynamoLocalOptions,
  ) {}

  static async start(options: PrivateDynamoLocalOptions = {}): Promise<PrivateDynamoLocal> {
    // DynamoDB Local's SQLite syncs every write: on tmpfs it is ~3x faster than on disk.
    const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
    const dataDir = mkdtempSync(join(base, 'pg2ddb-private-dynamo-'));
    const instance = new PrivateDynamoLocal(await freePort(), dataDir, join(dataDir, 'dynamodb.log'), options);
    await instance.resume();
    return instance;
  }

  /** The JVM's pid while it runs (for CPU and memory figures). */
  get pid(): number | undefined {
    return this.child?.exitCode === null ? this.child.pid : undefined;
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
      ['-Xms64m', `-Xmx${this.options.heapMiB ?? 256}m`, `-Djava.library.path=${join(jarDir, 'native')}`, '-cp', `${join(jarDir, 'lib')}/*`,
        'com.amazonaws.services.dynamodbv2.local.main.ServerRunner', ...(this.options.inMemory ? ['-inMemory'] : ['-dbPath', this.dataDir]),
        '-sharedDb', '-disableTelemetry', '-port', String(this.port)],
      this.logFile,
      async () => (await fetch(this.endpoint, { method: 'POST', signal: AbortSignal.timeout(1000) })).status > 0,
      timeoutMs,
    );
    this.child = started.child;
    this.exited = started.exited;
  }
}
