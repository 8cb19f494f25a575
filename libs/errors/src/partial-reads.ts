import { errorMessage } from './pg2ddb-error';

/** Reads that may each fail, and what failed: a report shows what it read and names what it could not. */
export interface PartialReads {
  /** `<what>: <message>` per read that failed, in the order they failed. */
  readonly errors: string[];
  /** Runs `work`; on failure records it under `what` and resolves to `fallback`. */
  guard<T>(what: string, work: () => Promise<T>, fallback: T): Promise<T>;
}

/** A fresh set of partial reads (status, way-back state). */
export function partialReads(): PartialReads {
  const errors: string[] = [];
  return {
    errors,
    async guard(what, work, fallback) {
      try {
        return await work();
      } catch (error) {
        errors.push(`${what}: ${errorMessage(error)}`);
        return fallback;
      }
    },
  };
}
