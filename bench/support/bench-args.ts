/**
 * Reads `--name value` / `--name=value` flags against their defaults; an unknown flag or a value
 * of the wrong kind stops the benchmark with a message naming it.
 */
export function parseFlags<T extends Record<string, number | string | boolean>>(argv: readonly string[], defaults: T, help: string): T {
  const flags: Record<string, number | string | boolean> = { ...defaults };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${help}\n`);
      process.exit(0);
    }
    const match = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/.exec(arg);
    const name = match?.[1];
    if (!match || name === undefined || !(name in defaults)) throw new Error(`unknown argument ${arg}\n${help}`);
    const fallback = defaults[name];
    if (typeof fallback === 'boolean' && match[2] === undefined) {
      // `--flag`, `--flag true` and `--flag false` all work.
      const next = argv[index + 1];
      if (next === 'true' || next === 'false') index++;
      flags[name] = next !== 'false';
      continue;
    }
    const raw = match[2] ?? argv[++index];
    if (raw === undefined) throw new Error(`--${name} needs a value`);
    if (typeof fallback === 'number') {
      const value = Number(raw);
      if (!Number.isFinite(value)) throw new Error(`--${name} must be a number, got ${raw}`);
      flags[name] = value;
    } else if (typeof fallback === 'boolean') {
      flags[name] = raw !== 'false' && raw !== '0';
    } else {
      flags[name] = raw;
    }
  }
  return flags as T;
}
