import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

/**
 * Runs `work` under the V8 CPU profiler of this process and writes the profile to `file`
 * (a `.cpuprofile`), for work the benchmark does itself (e.g. the reconciler's compare).
 */
export async function profileWhile<T>(file: string, work: () => Promise<T>): Promise<T> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: Record<string, unknown>): Promise<unknown> =>
    new Promise((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 1000 });
  await post('Profiler.start');
  try {
    return await work();
  } finally {
    const stopped = (await post('Profiler.stop')) as { profile?: unknown };
    if (stopped.profile) writeFileSync(file, JSON.stringify(stopped.profile));
    session.disconnect();
  }
}
