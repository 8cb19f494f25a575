import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, repoRoot } from '@pg2ddb/service';

import { testTempDir } from './temp-dir';

/** An alert as Alertmanager's `GET /api/v2/alerts` lists it. */
export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  status: { state: string };
}

/**
 * A real Alertmanager process (built once by infra/scripts/prom-tools.sh into the tools cache),
 * on a free port, clustering off, with one receiver: a webhook to `webhookUrl` that groups by
 * alertname, topic_prefix and entity with 1 s waits and sends resolved notifications too.
 */
export class AlertmanagerProcess {
  private constructor(
    readonly url: string,
    readonly logFile: string,
    private readonly child: ChildProcess,
    private readonly exited: Promise<void>,
  ) {}

  static async start(webhookUrl: string): Promise<AlertmanagerProcess> {
    const built = spawnSync('bash', [join(repoRoot(), 'infra/scripts/prom-tools.sh'), 'path', 'alertmanager'], { encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`building alertmanager failed: ${built.stderr}`);
    const binary = built.stdout.trim();
    const dir = testTempDir('alertmanager');
    const config = join(dir, 'alertmanager.yml');
    writeFileSync(
      config,
      [
        'route:',
        '  receiver: test-webhook',
        '  group_by: [alertname, topic_prefix, entity]',
        '  group_wait: 1s',
        '  group_interval: 1s',
        '  repeat_interval: 1h',
        'receivers:',
        '  - name: test-webhook',
        '    webhook_configs:',
        `      - url: ${JSON.stringify(webhookUrl)}`,
        '        send_resolved: true',
        '',
      ].join('\n'),
    );
    const port = await freePort();
    const logFile = join(dir, 'alertmanager.log');
    const fd = openSync(logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn(
        binary,
        [`--config.file=${config}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=info'],
        { stdio: ['ignore', fd, fd] },
      );
    } finally {
      closeSync(fd);
    }
    let gone = false;
    const exited = new Promise<void>((resolve) => child.once('exit', () => ((gone = true), resolve())));
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (gone) throw new Error(`alertmanager exited before it was ready; see ${logFile}`);
      const ready = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) }).then((r) => r.status === 200, () => false);
      if (ready) return new AlertmanagerProcess(url, logFile, child, exited);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    child.kill('SIGKILL');
    throw new Error(`alertmanager not ready after 30 s; see ${logFile}`);
  }

  /** Active alerts (firing, not resolved) whose labels match every `label="value"` given. */
  async alerts(labels: Record<string, string>): Promise<AlertmanagerAlert[]> {
    const query = Object.entries(labels)
      .map(([name, value]) => `filter=${encodeURIComponent(`${name}=${JSON.stringify(value)}`)}`)
      .join('&');
    const response = await fetch(`${this.url}/api/v2/alerts?${query}`);
    if (response.status !== 200) throw new Error(`GET /api/v2/alerts answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as AlertmanagerAlert[];
  }

  async stop(): Promise<void> {
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }
}
