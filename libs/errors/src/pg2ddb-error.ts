/**
 * The one base error of pg2ddb. Every lib throws subclasses of it with a code from its own code
 * enum, so the consumer boundary can classify a failure once: `retriable` errors are retried with
 * backoff, permanent ones are dead-lettered with their code.
 */
export class Pg2ddbError extends Error {
  /** A stable, machine-readable code, e.g. `MAPPING_UNKNOWN_COLUMN`. */
  readonly code: string;
  /** True when trying the same thing again later may succeed (network, throttling, leader moves). */
  readonly retriable: boolean;
  /** Extra structured context (where the problem is) for logs and DLQ records. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: string,
    message: string,
    options: { retriable?: boolean; cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.details = Object.freeze({ ...(options.details ?? {}) });
  }
}

/** True when the error (or anything in its cause chain) says a retry may succeed. */
export function isRetriable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
    if (current instanceof Pg2ddbError) return current.retriable;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** The error's code when it is ours, otherwise a generic one that keeps the constructor's name. */
export function errorCode(error: unknown): string {
  if (error instanceof Pg2ddbError) return error.code;
  if (error instanceof Error) return `UNEXPECTED_${error.name.toUpperCase()}`;
  return 'UNEXPECTED_ERROR';
}

/** A message for logs and DLQ records that never throws, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}
