import type { ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { freePort } from '@pg2ddb/service';
import { cachedComponentDir, launchJava } from './java-process';
import { readStackEnv } from './local-stack';
import { randomId } from './random-names';
import { testTempDir } from './temp-dir';

/** How a private worker's REST API is secured (both off by default). */
export interface PrivateConnectWorkerOptions {
  /**
   * Basic auth (Connect's BasicAuthSecurityRestExtension with a JAAS PropertyFileLoginModule): the
   * one user, written to a credentials file in the worker's temporary directory, never elsewhere.
   */
  basicAuth?: { username: string; password: string };
  /** An https listener with this PKCS12 keystore; the readiness probe trusts `caFile`. */
  https?: { keystoreFile: string; keystorePassword: string; caFile: string };
}

/**
 * A Kafka Connect worker (with Debezium) of one test's own, on the shared Kafka but in its own
 * Connect group with its own config/offset/status topics, so the test can kill it with SIGKILL
 * (a crash of Connect) and start it again without touching the shared worker other tests use.
 * A restart keeps the group and topics: connectors and their offsets survive, as in production.
 */
export class PrivateConnectWorker {
  private child?: ChildProcess;
  private exited?: Promise<void>;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly options: PrivateConnectWorkerOptions,
  ) {}

  /** Starts a worker against `kafkaBrokers` (host:port list); resolves when its REST API answers. */
  static async start(kafkaBrokers: string, options: PrivateConnectWorkerOptions = {}): Promise<PrivateConnectWorker> {
    const dir = testTempDir('private-connect');
    const port = await freePort();
    const id = randomId('connect');
    const scheme = options.https ? 'https' : 'http';
    const secured: string[] = [];
    if (options.https) {
      secured.push(
        'rest.advertised.listener=https',
        'listeners.https.ssl.keystore.type=PKCS12',
        `listeners.https.ssl.keystore.location=${options.https.keystoreFile}`,
        `listeners.https.ssl.keystore.password=${options.https.keystorePassword}`,
        `listeners.https.ssl.key.password=${options.https.keystorePassword}`,
      );
    }
    if (options.basicAuth) {
      secured.push('rest.extension.classes=org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension');
      writeFileSync(join(dir, 'credentials.properties'), `${options.basicAuth.username}=${options.basicAuth.password}\n`, { mode: 0o600 });
      writeFileSync(
        join(dir, 'jaas.conf'),
        `KafkaConnect {\n  org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required\n  file="${join(dir, 'credentials.properties')}";\n};\n`,
      );
    }
    writeFileSync(
      join(dir, 'worker.properties'),
      [
        `bootstrap.servers=${kafkaBrokers}`,
        `group.id=${id}`,
        'key.converter=org.apache.kafka.connect.json.JsonConverter',
        'value.converter=org.apache.kafka.connect.json.JsonConverter',
        'key.converter.schemas.enable=true',
        'value.converter.schemas.enable=true',
        `config.storage.topic=${id}-configs`,
        `offset.storage.topic=${id}-offsets`,
        `status.storage.topic=${id}-status`,
        'config.storage.replication.factor=1',
        'offset.storage.replication.factor=1',
        'status.storage.replication.factor=1',
        'offset.flush.interval.ms=1000',
        `listeners=${scheme}://127.0.0.1:${port}`,
        'rest.advertised.host.name=127.0.0.1',
        `rest.advertised.port=${port}`,
        'scheduled.rebalance.max.delay.ms=0',
        // as the stack's worker: the connector role's password comes from the environment
        'config.providers=env',
        'config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider',
        'config.providers.env.param.allowlist.pattern=^PG2DDB_DEBEZIUM_PASSWORD$',
        ...secured,
      ].join('\n'),
      { mode: 0o600 },
    );
    writeFileSync(
      join(dir, 'log4j.properties'),
      [
        'log4j.rootLogger=INFO, file',
        'log4j.appender.file=org.apache.log4j.FileAppender',
        `log4j.appender.file.File=${join(dir, 'connect.log')}`,
        'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
        'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
        'log4j.logger.org.reflections=ERROR',
      ].join('\n'),
    );
    const worker = new PrivateConnectWorker(port, dir, options);
    await worker.resume();
    return worker;
  }

  /** The worker's log4j log. */
  get logFile(): string {
    return join(this.dir, 'connect.log');
  }

  get url(): string {
    return `${this.options.https ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  /** SIGKILL: a crash, no graceful task shutdown, no final offset flush. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGSTOP: freezes the worker where it is (e.g. mid-snapshot); `kill` or `proceed` ends the pause. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  /** SIGCONT after `pause`. */
  proceed(): void {
    this.child?.kill('SIGCONT');
  }

  /** The worker's process id (undefined when it is not running). */
  get pid(): number | undefined {
    const child = this.child;
    return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
  }

  /** Starts the worker (again) with the same group and topics; resolves when /connectors answers. */
  async resume(timeoutMs = 120_000): Promise<void> {
    const jars = join(cachedComponentDir('connect'), 'lib');
    const jaas = this.options.basicAuth ? [`-Djava.security.auth.login.config=${join(this.dir, 'jaas.conf')}`] : [];
    const started = await launchJava(
      'private Connect worker',
      ['-Xms128m', '-Xmx512m', '-XX:+UseG1GC', `-Dlog4j.configuration=file:${join(this.dir, 'log4j.properties')}`, ...jaas, '-cp', `${jars}/*`,
        'org.apache.kafka.connect.cli.ConnectDistributed', join(this.dir, 'worker.properties')],
      join(this.dir, 'connect.out.log'),
      async () => (await this.get('/connectors')) === 200,
      timeoutMs,
      { ...process.env, PG2DDB_DEBEZIUM_PASSWORD: readStackEnv().PG2DDB_DEBEZIUM_PASSWORD ?? '' },
    );
    this.child = started.child;
    this.exited = started.exited;
  }

  /**
   * The status code of GET `path`, with the worker's own credentials and CA (a test process has
   * no NODE_EXTRA_CA_CERTS; `fetch` takes no CA of its own).
   */
  get(path: string, anonymous = false): Promise<number> {
    const { basicAuth, https } = this.options;
    const headers: Record<string, string> = basicAuth && !anonymous ? { authorization: `Basic ${Buffer.from(`${basicAuth.username}:${basicAuth.password}`).toString('base64')}` } : {};
    return new Promise((resolve, reject) => {
      const done = (response: { statusCode?: number; resume: () => void }) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      };
      const request = https
        ? httpsRequest(`${this.url}${path}`, { headers, ca: readFileSync(https.caFile), timeout: 2000 }, done)
        : httpRequest(`${this.url}${path}`, { headers, timeout: 2000 }, done);
      request.on('timeout', () => request.destroy(new Error('timeout')));
      request.on('error', reject);
      request.end();
    });
  }

  /** Kills the worker and removes its files (its Kafka topics stay; they are small). */
  async destroy(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
