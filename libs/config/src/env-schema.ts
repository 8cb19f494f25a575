import { Pg2ddbError } from '@pg2ddb/errors';

/** How one environment variable is read. */
export type EnvVar<T> = {
  description: string;
  /** Used when the variable is unset or empty; without it the variable is required. */
  default?: T;
  /** Masked in logs and error messages. */
  secret?: boolean;
  parse: (raw: string) => T;
};

export type EnvSchema = Record<string, EnvVar<unknown>>;
export type EnvValues<S extends EnvSchema> = { [K in keyof S]: S[K] extends EnvVar<infer T> ? T : never };

/** Thrown at boot when configuration is missing or invalid; names every bad variable. */
export class ConfigError extends Pg2ddbError {
  constructor(readonly problems: string[]) {
    super('CONFIG_INVALID', `invalid configuration:\n  - ${problems.join('\n  - ')}`, { details: { problems } });
  }
}

/**
 * Reads and validates a set of environment variables. Collects every problem before failing,
 * so an operator fixes the whole environment in one go.
 */
export function readEnv<S extends EnvSchema>(schema: S, env: Record<string, string | undefined> = process.env): EnvValues<S> {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(schema)) {
    const raw = env[name];
    if (raw === undefined || raw === '') {
      if ('default' in spec) values[name] = spec.default;
      else problems.push(`${name} is required (${spec.description})`);
      continue;
    }
    try {
      values[name] = spec.parse(raw);
    } catch (error) {
      const shown = spec.secret ? '***' : JSON.stringify(raw);
      problems.push(`${name}=${shown} is invalid: ${(error as Error).message} (${spec.description})`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return values as EnvValues<S>;
}

/** A copy of the values with every secret masked, for logging the effective configuration. */
export function maskSecrets<S extends EnvSchema>(schema: S, values: EnvValues<S>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(schema)) out[name] = schema[name]?.secret ? '***' : values[name as keyof S];
  return out;
}

/** Parsers for the common variable shapes. */
export const parsers = {
  string: (raw: string): string => raw,
  int:
    (min: number, max: number) =>
    (raw: string): number => {
      if (!/^-?\d+$/.test(raw)) throw new Error('not an integer');
      const value = Number(raw);
      if (value < min || value > max) throw new Error(`must be between ${min} and ${max}`);
      return value;
    },
  bool: (raw: string): boolean => {
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    throw new Error('not a boolean (use true/false)');
  },
  url: (raw: string): string => {
    const url = new URL(raw);
    if (!/^https?:$/.test(url.protocol)) throw new Error('must be an http(s) URL');
    return raw.replace(/\/+$/, '');
  },
  list: (raw: string): string[] =>
    raw
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  oneOf:
    <T extends string>(...allowed: T[]) =>
    (raw: string): T => {
      if (!(allowed as string[]).includes(raw)) throw new Error(`must be one of ${allowed.join(', ')}`);
      return raw as T;
    },
};
