/** A named check the service must pass before it reports ready. */
export interface ReadinessCheck {
  name: string;
  check: () => boolean | Promise<boolean>;
}

/** Collects the readiness checks of a service (consumer joined, DynamoDB reachable, ...). */
export class Readiness {
  private readonly checks: ReadinessCheck[] = [];

  add(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  /** Every check's result; a check that throws counts as not ready. */
  async evaluate(): Promise<{ ready: boolean; checks: Record<string, boolean> }> {
    const results: Record<string, boolean> = {};
    for (const { name, check } of this.checks) {
      try {
        results[name] = await check();
      } catch {
        results[name] = false;
      }
    }
    return { ready: Object.values(results).every(Boolean), checks: results };
  }
}

/**
 * The checks a service must pass to count as alive (`/health/live`): a failing one means the
 * process cannot recover by itself (its consumer crashed for good, its loop stalled) and should be
 * restarted. Same shape as `Readiness`.
 */
export class Liveness extends Readiness {}

/** A readiness probe that calls the dependency at most every 10 s and reports the last answer. */
export function cachedProbe(probe: () => Promise<unknown>, everyMs = 10000): () => Promise<boolean> {
  let checkedAt = 0;
  let last = false;
  return async () => {
    if (Date.now() - checkedAt < everyMs) return last;
    checkedAt = Date.now();
    last = await probe().then(
      () => true,
      () => false,
    );
    return last;
  };
}
