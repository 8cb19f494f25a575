import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { EXIT_WITH_PARENT } from './exit-with-parent';
import { repoRoot } from './repo-root';

export type ServiceName = 'transformer' | 'writer' | 'reconciler' | 'alerter' | 'status' | 'ddb-source' | 'pg-writer';

/** A pg2ddb service running as a child process of the cli or of a test. */
export interface ServiceProcess {
  name: ServiceName;
  pid: number;
  httpPort: number;
  logFile: string;
  /** Resolves when /health/ready answers 200; rejects if the process exits first or time runs out. */
  ready(timeoutMs?: number): Promise<void>;
  /** SIGTERM, then SIGKILL after the grace period; resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
  /** Sends a signal (e.g. SIGKILL, to test a crash) and resolves when the process is gone. */
  kill(signal: NodeJS.Signals): Promise<void>;
  exited(): boolean;
}

/**
 * Starts a service from its TypeScript sources (SWC compiles on load), with its output appended
 * to `logFile` and its health endpoints on a free port.
 */
export async function startServiceProcess(name: ServiceName, env: Record<string, string>, logFile: string): Promise<ServiceProcess> {
  const root = repoRoot();
  const httpPort = await freePort();
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, serviceArgs(root, name), {
      cwd: root,
      env: { ...process.env, ...env, PG2DDB_HTTP_PORT: String(httpPort), SWC_NODE_PROJECT: join(root, 'tsconfig.base.json'), [EXIT_WITH_PARENT]: '1' },
      // The child's stdin is a pipe from this process: it reaches end-of-file when this process is
      // gone, however it ended (a crash, SIGKILL, a closed terminal), and the service then shuts
      // down (bootstrapService) instead of running on as an orphan.
      stdio: ['pipe', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  let exitCode: number | null | undefined;
  const exit = new Promise<void>((resolve) => child.once('exit', (code, signal) => {
    exitCode = code ?? (signal ? -1 : 0);
    resolve();
  }));
  return {
    name,
    pid: child.pid ?? -1,
    httpPort,
    logFile,
    exited: () => exitCode !== undefined,
    async ready(timeoutMs = 60000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (exitCode !== undefined) throw new Error(`${name} exited with code ${exitCode} before it was ready; see ${logFile}`);
        try {
          const response = await fetch(`http://127.0.0.1:${httpPort}/health/ready`, { signal: AbortSignal.timeout(2000) });
          if (response.status === 200) return;
        } catch {
          // not listening yet
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      throw new Error(`${name} not ready after ${timeoutMs} ms; see ${logFile}`);
    },
    async kill(signal) {
      if (exitCode !== undefined) return;
      child.kill(signal);
      await exit;
    },
    async stop(graceMs = 15000) {
      if (exitCode !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}

/**
 * How a service is started: from its TypeScript sources, compiled by SWC on load (development,
 * tests), or with PG2DDB_SERVICES_FROM=dist from `npm run build`'s output, as deployed: no
 * compiler in the process, about 100 MB less resident memory and a faster start.
 */
export function serviceArgs(root: string, name: ServiceName, from: string | undefined = process.env.PG2DDB_SERVICES_FROM): string[] {
  if (from === 'dist') {
    const main = join(root, 'dist', 'apps', name, 'src', 'main.js');
    if (!existsSync(main)) throw new Error(`PG2DDB_SERVICES_FROM=dist but ${main} does not exist; run npm run build first`);
    return ['-r', join(root, 'infra', 'scripts', 'register-dist-paths.cjs'), main];
  }
  if (from !== undefined && from !== '' && from !== 'src') throw new Error(`PG2DDB_SERVICES_FROM must be src or dist; got "${from}"`);
  return ['-r', '@swc-node/register', join(root, 'apps', name, 'src', 'main.ts')];
}

/** A TCP port that was free a moment ago (the kernel picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
