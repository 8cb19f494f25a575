import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@pg2ddb/service';

/** The parts of the chaos suite's own stack that faults are injected into. */
export type StackComponent = 'postgres' | 'dynamodb' | 'kafka' | 'connect';

/**
 * The chaos suite's private embedded stack (infra/local/stack.sh with its own state directory and
 * ports), so killing its broker, Connect worker or PostgreSQL disturbs no other test.
 */
export class ChaosStack {
  constructor(
    readonly dir: string,
    private readonly ports: { pg: number; dynamo: number; kafka: number; controller: number; connect: number },
  ) {}

  /** Environment for stack.sh and for the processes that read the stack's settings. */
  get env(): Record<string, string> {
    return {
      PG2DDB_STACK_DIR: this.dir,
      PG2DDB_PG_PORT: String(this.ports.pg),
      PG2DDB_DYNAMO_PORT: String(this.ports.dynamo),
      PG2DDB_KAFKA_PORT: String(this.ports.kafka),
      PG2DDB_KAFKA_CONTROLLER_PORT: String(this.ports.controller),
      PG2DDB_CONNECT_PORT: String(this.ports.connect),
    };
  }

  /**
   * Starts whatever part of the stack is down (stack.sh start is idempotent); resolves when all
   * answer. Tried again, as a supervisor would, while it fails: Connect started while the broker is
   * itself restarting exits during its start-up.
   */
  async start(timeoutMs = 300_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await this.script('start');
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
  }

  async stop(): Promise<void> {
    await this.script('stop');
  }

  /** The process id of a running component, or undefined. */
  pid(component: StackComponent): number | undefined {
    try {
      const file = component === 'postgres' ? join(readFileSync(join(this.dir, 'postgres.dir'), 'utf8').trim() || join(this.dir, 'postgres'), 'data', 'postmaster.pid') : join(this.dir, `${component}.pid`);
      const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
      if (!Number.isInteger(pid) || pid <= 0) return undefined;
      process.kill(pid, 0);
      return pid;
    } catch {
      return undefined;
    }
  }

  /** Sends a signal to a component and, for a fatal one, waits until its process is gone. */
  async signal(component: StackComponent, signal: NodeJS.Signals, timeoutMs = 60_000): Promise<void> {
    const pid = this.pid(component);
    if (pid === undefined) throw new Error(`${component} of the chaos stack is not running`);
    process.kill(pid, signal);
    if (signal === 'SIGSTOP' || signal === 'SIGCONT') return;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      try {
        process.kill(pid, 0);
      } catch {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${component} (pid ${pid}) still runs ${timeoutMs} ms after ${signal}`);
  }

  private script(command: 'start' | 'stop'): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn('bash', [join(repoRoot(), 'infra/local/stack.sh'), command], { env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`stack.sh ${command} failed (exit ${code}):\n${output}`))));
    });
  }
}
