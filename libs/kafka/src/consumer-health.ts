/** Why a consumer is not ready or not live, for the health endpoints and logs. */
export type ConsumerHealthState = 'starting' | 'running' | 'restarting' | 'dead';

/**
 * The health of one kafkajs consumer, fed by its instrumentation events. kafkajs restarts a
 * consumer by itself after a retriable crash (`CRASH` with `restart: true`), and it is ready again
 * once it has re-joined its group; after a crash it will not recover from (`restart: false`), or
 * when its loop has shown no sign of activity for `stallMs` (a handler that never returns, a
 * fetch loop that stopped), it is no longer live, so an orchestrator restarts the process.
 */
export class ConsumerHealth {
  private state: ConsumerHealthState = 'starting';
  private lastActivity: number;
  private lastError?: Error;

  constructor(
    private readonly stallMs: number,
    now: number = Date.now(),
  ) {
    this.lastActivity = now;
  }

  /** The consumer (re-)joined its group: ready again, whatever crashed before. */
  joined(now: number = Date.now()): void {
    if (this.state === 'dead') return;
    this.state = 'running';
    this.lastActivity = now;
  }

  /** kafkajs crashed the consumer; `restart` says whether it will start it again. */
  crashed(error: Error, restart: boolean, now: number = Date.now()): void {
    this.lastError = error;
    if (this.state === 'dead') return;
    this.state = restart ? 'restarting' : 'dead';
    this.lastActivity = now;
  }

  /** The loop did something: a fetch, a heartbeat, a batch started or ended, a retry attempt. */
  activity(now: number = Date.now()): void {
    this.lastActivity = now;
  }

  /** Consuming: joined, and not crashed since. */
  isReady(): boolean {
    return this.state === 'running';
  }

  /** Not dead, and the loop was active within `stallMs` (a restart in progress counts as alive). */
  isLive(now: number = Date.now()): boolean {
    return this.state !== 'dead' && now - this.lastActivity < this.stallMs;
  }

  /** State and last error, for logs and the health endpoints. */
  describe(now: number = Date.now()): { state: ConsumerHealthState; idleMs: number; lastError?: string } {
    return { state: this.state, idleMs: now - this.lastActivity, ...(this.lastError ? { lastError: this.lastError.message } : {}) };
  }
}
