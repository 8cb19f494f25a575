import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@pg2ddb/service';

/**
 * Where `infra/local/stack.sh fetch` put a JVM component's jars (`dynamodb`, `kafka`, `connect`):
 * the cache directory named after its Maven pom's hash, as the script names it.
 */
export function cachedComponentDir(component: 'dynamodb' | 'kafka' | 'connect'): string {
  const cache = process.env.PG2DDB_CACHE_DIR ?? join(homedir(), '.cache', 'pg2ddb');
  const pom = readFileSync(join(repoRoot(), `infra/local/maven/${component}/pom.xml`));
  const dir = join(cache, `${component}-${createHash('sha256').update(pom).digest('hex').slice(0, 12)}`);
  if (!existsSync(join(dir, '.complete'))) throw new Error(`${component} jars not found in ${dir}; run 'infra/local/stack.sh fetch'`);
  return dir;
}

/** A JVM started by a test, and a promise that settles when it exits. */
export interface JavaProcess {
  child: ChildProcess;
  exited: Promise<void>;
}

/**
 * Starts `java <args>` with its output appended to `logFile`, then polls `ready` until it resolves
 * true; throws, naming `what` and the log, if the process exits first or `timeoutMs` passes.
 */
export async function launchJava(
  what: string,
  args: string[],
  logFile: string,
  ready: () => Promise<boolean>,
  timeoutMs: number,
): Promise<JavaProcess> {
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn('java', args, { stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}; see ${logFile}`);
    try {
      if (await ready()) return { child, exited };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what} did not answer within ${timeoutMs} ms; see ${logFile}`);
}
