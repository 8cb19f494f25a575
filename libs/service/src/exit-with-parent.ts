/** Set by startServiceProcess: the service's stdin is a pipe from the process that started it. */
export const EXIT_WITH_PARENT = 'PG2DDB_EXIT_WITH_PARENT';

/**
 * When started by a pg2ddb process (the cli's demo, a test), shut down gracefully once that
 * process is gone: its end of the stdin pipe closes and stdin reaches end-of-file. Services run
 * any other way (a container, systemd, a terminal) are left alone.
 */
export function exitWithParent(shutdown: () => void, env: NodeJS.ProcessEnv = process.env): void {
  if (env[EXIT_WITH_PARENT] !== '1') return;
  let called = false;
  const once = () => {
    if (called) return;
    called = true;
    shutdown();
  };
  process.stdin.on('end', once);
  process.stdin.on('error', once);
  process.stdin.resume();
}
