import type { LoggerService } from '@nestjs/common';

type Level = 'error' | 'warn' | 'log' | 'debug' | 'verbose';
const ORDER: Record<Level, number> = { error: 0, warn: 1, log: 2, debug: 3, verbose: 4 };

/**
 * Nest logger that writes one JSON object per line (production) or a short readable line
 * (local), with bound context such as topic, partition, offset and key via `child()`.
 */
export class StructuredLogger implements LoggerService {
  constructor(
    private readonly service: string,
    private readonly format: 'json' | 'pretty' = 'json',
    private readonly level: Level = 'log',
    private readonly bound: Record<string, unknown> = {},
    private readonly out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {}

  /** A logger that adds these fields to every line it writes. */
  child(fields: Record<string, unknown>): StructuredLogger {
    return new StructuredLogger(this.service, this.format, this.level, { ...this.bound, ...fields }, this.out);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  log(message: unknown, ...rest: unknown[]): void {
    this.write('log', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('verbose', message, rest);
  }

  private write(level: Level, message: unknown, rest: unknown[]): void {
    if (ORDER[level] > ORDER[this.level]) return;
    const fields: Record<string, unknown> = { ...this.bound };
    for (const extra of rest) {
      // Nest passes the context name as a trailing string and stack traces as strings.
      if (typeof extra === 'string') fields[fields.context === undefined ? 'context' : 'stack'] = extra;
      else if (extra && typeof extra === 'object') Object.assign(fields, extra);
    }
    const text = message instanceof Error ? message.message : typeof message === 'string' ? message : JSON.stringify(message);
    if (this.format === 'json') {
      this.out(JSON.stringify({ time: new Date().toISOString(), level, service: this.service, msg: text, ...fields }, jsonSafe));
    } else {
      const extras = Object.entries(fields)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v, jsonSafe)}`)
        .join(' ');
      this.out(`${new Date().toISOString().slice(11, 23)} ${level.toUpperCase().padEnd(5)} [${this.service}] ${text}${extras ? ` ${extras}` : ''}`);
    }
  }
}

function jsonSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
