import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@pg2ddb/service';

/**
 * Where `infra/local/stack.sh fetch` put a component: the jars of `kafka` and `connect` (named
 * after the hash of their Maven pom), or the DynamoDB emulator's virtual environment, `moto`
 * (named after the hash of its requirements file), as the script names them.
 */
export function cachedComponentDir(component: 'moto' | 'kafka' | 'connect'): string {
  const cache = process.env.PG2DDB_CACHE_DIR ?? join(homedir(), '.cache', 'pg2ddb');
  const spec = component === 'moto' ? 'infra/local/moto/requirements.txt' : `infra/local/maven/${component}/pom.xml`;
  const dir = join(cache, `${component}-${createHash('sha256').update(readFileSync(join(repoRoot(), spec))).digest('hex').slice(0, 12)}`);
  if (!existsSync(join(dir, '.complete'))) throw new Error(`${component} not found in ${dir}; run 'infra/local/stack.sh fetch'`);
  return dir;
}

/** A process (a JVM, the emulator) started by a test, and a promise that settles when it exits. */
export interface JavaProcess {
  child: ChildProcess;
  exited: Promise<void>;
}

/**
 * Starts `java <args>` with its output appended to `logFile`, then polls `ready` until it resolves
 * true; throws, naming `what` and the log, if the process exits first or `timeoutMs` passes.
 */
export function launchJava(
  what: string,
  args: string[],
  logFile: string,
  ready: () => Promise<boolean>,
  timeoutMs: number,
  env?: NodeJS.ProcessEnv,
): Promise<JavaProcess> {
  return launchProcess(what, 'java', args, logFile, ready, timeoutMs, env);
}

/** Like {@link launchJava}, for any executable. */
export async function launchProcess(
  what: string,
  command: string,
  args: string[],
  logFile: string,
  ready: () => Promise<boolean>,
  timeoutMs: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<JavaProcess> {
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(command, args, { stdio: ['ignore', fd, fd], env });
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
