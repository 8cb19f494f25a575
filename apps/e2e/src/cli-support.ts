import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '@pg2ddb/service';

const root = repoRoot();

/** Runs `pg2ddb <args>` as a child process (like an operator or CI would) and waits for it. */
export function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 180000) {
  const result = spawnSync(process.execPath, ['-r', '@swc-node/register', join(root, 'apps/cli/src/main.ts'), ...args], {
    cwd: root,
    env: { ...process.env, ...env } as Record<string, string>,
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, output: `${result.stdout}${result.stderr}` };
}

/** The same, without blocking the test's event loop (for commands that run while the test acts). */
export function runCliAsync(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join(root, 'apps/cli/src/main.ts'), ...args], {
      cwd: root,
      env: { ...process.env, ...env } as Record<string, string>,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** The command line to run the cli from a shell (tmux). */
export function cliShellCommand(args: string[]): string {
  return [process.execPath, '-r', '@swc-node/register', join(root, 'apps/cli/src/main.ts'), ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
}
