import type { OptionValues } from './cli-command';
import { UsageError } from './exit-codes';

/** Options every command takes: output format, connection settings, the local stack, verbosity. */
export const GLOBAL_OPTIONS = {
  output: { type: 'string' as const, short: 'o' },
  json: { type: 'boolean' as const, default: false },
  brokers: { type: 'string' as const },
  'dynamo-endpoint': { type: 'string' as const },
  region: { type: 'string' as const },
  profile: { type: 'string' as const },
  'connect-url': { type: 'string' as const },
  'local-stack': { type: 'boolean' as const, default: false },
  quiet: { type: 'boolean' as const, short: 'q', default: false },
  verbose: { type: 'boolean' as const, default: false },
};

/** The help text of the global options (in `pg2ddb --help` and every command's --help). */
export const GLOBAL_USAGE = `global options (every command):
  -o, --output F        json | table | text (default table): json is one document on stdout
                        (NDJSON, one line per refresh, for status --watch); text is plain
                        key=value lines for grep/awk (status, dlq list; the other commands
                        print the same lines as table); --json is the same as --output json
  --brokers LIST        Kafka bootstrap servers (PG2DDB_KAFKA_BROKERS)
  --connect-url URL     Kafka Connect REST URL (PG2DDB_CONNECT_URL)
  --dynamo-endpoint URL DynamoDB endpoint, for an emulator (PG2DDB_DYNAMO_ENDPOINT)
  --region R            AWS region (AWS_REGION)
  --profile P           AWS profile for credentials (AWS_PROFILE)
  --local-stack         take unset settings from the running local stack (.stack/stack.env;
                        also PG2DDB_LOCAL_STACK=1); never done without it, except by the demo
  -q, --quiet           no endpoints line and no progress on stderr
  --verbose             endpoints and progress on stderr even under --output json when piped`;

export type OutputFormat = 'json' | 'table' | 'text';
const FORMATS: readonly OutputFormat[] = ['json', 'table', 'text'];

/** The output format from --output (or its alias --json); a usage error names the flag. */
export function outputFormat(values: OptionValues): OutputFormat {
  const raw = values.output;
  if (raw === undefined) return values.json === true ? 'json' : 'table';
  if (typeof raw !== 'string' || !FORMATS.includes(raw as OutputFormat)) {
    throw new UsageError(`--output must be one of ${FORMATS.join(', ')}, got "${String(raw)}"`);
  }
  if (values.json === true && raw !== 'json') throw new UsageError(`--json and --output ${raw} contradict each other (--json means --output json)`);
  return raw as OutputFormat;
}

const FLAG_VARIABLES: Record<string, string> = {
  brokers: 'PG2DDB_KAFKA_BROKERS',
  'connect-url': 'PG2DDB_CONNECT_URL',
  'dynamo-endpoint': 'PG2DDB_DYNAMO_ENDPOINT',
  region: 'AWS_REGION',
  profile: 'AWS_PROFILE',
};

/** The environment variables the connection flags set (a flag wins over the environment). */
export function settingsFromFlags(values: OptionValues): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const [flag, variable] of Object.entries(FLAG_VARIABLES)) {
    const value = values[flag];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${flag} needs a value (it sets ${variable})`);
    settings[variable] = value.trim();
  }
  return settings;
}

/** The flag that sets an environment variable, if any (for error messages). */
export function flagFor(variable: string): string | undefined {
  const entry = Object.entries(FLAG_VARIABLES).find(([, name]) => name === variable);
  return entry ? `--${entry[0]}` : undefined;
}
