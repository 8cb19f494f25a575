import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { errorMessage } from '@pg2ddb/errors';
import { createPgPool } from '@pg2ddb/postgres';
import { cliEnv } from './cli-env';
import { settings } from './cli-settings';
import { seedDemoData } from './demo-data';
import { connectorCommand } from './commands/connector.command';
import { demoCommand } from './commands/demo.command';
import { initCommand } from './commands/init.command';
import { statusCommand } from './commands/status.command';
import { validateCommand } from './commands/validate.command';

const USAGE = `pg2ddb — keep DynamoDB in sync with PostgreSQL

usage: pg2ddb <command> [options]

commands:
  demo                        run the payments demo on the embedded stack until Ctrl-C
      --rows N                demo payments to load on first run (default 10000)
      --live-every S          seconds between live changes once in sync (default 2; 0 = off)
      --exit-when-in-sync     stop everything once the initial load is in sync
      --keep-stack            leave the stack running on exit
  seed-demo [--rows N]        create the payments demo table and load it if it is empty
  validate --mapping FILE     check a mapping file and show what it produces
  init --mapping FILE [--check]
                              create the DynamoDB table, GSIs and TTL (or only check them)
  connector apply|status|delete --mapping FILE [--drop-slot]
                              manage the Debezium connector through Kafka Connect
  status --mapping FILE       connector state, per-entity counts, consumer lag, DLQ size

Connection settings come from PG2DDB_* environment variables, or from the embedded stack's
.stack/stack.env when it is running. See README.md.`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      mapping: { type: 'string' },
      check: { type: 'boolean', default: false },
      'drop-slot': { type: 'boolean', default: false },
      rows: { type: 'string', default: '10000' },
      'live-every': { type: 'string', default: '2' },
      'exit-when-in-sync': { type: 'boolean', default: false },
      'keep-stack': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, action] = positionals;
  const print = (line: string) => process.stdout.write(`${line}\n`);
  if (values.help || !command) {
    print(USAGE);
    return command || values.help ? 0 : 2;
  }
  const mapping = () => {
    if (!values.mapping) throw new Error(`${command} needs --mapping FILE`);
    return values.mapping;
  };
  const env = cliEnv();
  switch (command) {
    case 'demo':
      return demoCommand(
        {
          rows: positiveInt(values.rows, '--rows'),
          liveEvery: nonNegative(values['live-every'], '--live-every'),
          exitWhenInSync: values['exit-when-in-sync'],
          keepStack: values['keep-stack'],
        },
        print,
      );
    case 'seed-demo': {
      const pool = createPgPool(settings.postgres(env));
      try {
        await seedDemoData(pool, positiveInt(values.rows, '--rows'), print);
      } finally {
        await pool.end();
      }
      return 0;
    }
    case 'validate':
      validateCommand(mapping(), print);
      return 0;
    case 'init':
      return initCommand(mapping(), values.check, env, print);
    case 'connector':
      return connectorCommand(action ?? '', mapping(), values['drop-slot'], env, print);
    case 'status':
      return statusCommand(mapping(), env, print);
    default:
      print(`unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

function positiveInt(raw: string | undefined, flag: string): number {
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${flag} must be a positive whole number, got "${raw}"`);
  return value;
}

function nonNegative(raw: string | undefined, flag: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${flag} must be a number of seconds ≥ 0, got "${raw}"`);
  return value;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`pg2ddb: ${errorMessage(error)}\n`);
    process.exitCode = 1;
  },
);
