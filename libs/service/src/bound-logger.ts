/** What a bound logger writes through: Nest's Logger (or anything with its three levels). */
export interface LineLogger {
  log(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  error(message: string, ...rest: unknown[]): void;
}

/** A logger whose every line carries the same fields, e.g. one batch's topic, partition and offsets. */
export interface BoundLogger {
  log(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * A child of `logger` for one unit of work (a batch): `bound` goes on every line, after the
 * line's own fields are merged in (StructuredLogger writes them as JSON fields).
 */
export function bindLogger(logger: LineLogger, bound: object): BoundLogger {
  const fields = (own?: Record<string, unknown>) => (own ? { ...bound, ...own } : bound);
  return {
    log: (message, own) => logger.log(message, fields(own)),
    warn: (message, own) => logger.warn(message, fields(own)),
    error: (message, own) => logger.error(message, fields(own)),
  };
}
