import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { errorMessage } from '@pg2ddb/errors';
import { cliEnv } from './cli-env';
import type { CliCommand } from './framework/cli-command';
import { ExitCode, exitCodeFor, UsageError } from './framework/exit-codes';
import { connectorCommand } from './commands/connector.command';
import { cutoverCheckCommand } from './commands/cutover-check.command';
import { demoCliCommand, seedDemoCliCommand } from './commands/demo.command';
import { directionCommand } from './commands/direction.command';
import { dlqCommand } from './commands/dlq.command';
import { estimateCommand } from './commands/estimate.command';
import { initCliCommand } from './commands/init.command';
import { reconcileCommand } from './commands/reconcile.command';
import { rollbackCheckCommand } from './commands/rollback-check.command';
import { snapshotCommand } from './commands/snapshot.command';
import { statusCommand } from './commands/status.command';
import { validateCommand } from './commands/validate.command';

/**
 * Every subcommand, in the order `pg2ddb --help` lists them. To add one, export a `CliCommand`
 * from commands/<name>.command.ts and add it here (one line each).
 */
const COMMANDS: CliCommand[] = [
  validateCommand,
  initCliCommand,
  connectorCommand,
  snapshotCommand,
  statusCommand,
  reconcileCommand,
  estimateCommand,
  cutoverCheckCommand,
  directionCommand,
  rollbackCheckCommand,
  dlqCommand,
  demoCliCommand,
  seedDemoCliCommand,
];

function overview(): string {
  const rows = COMMANDS.map((command) => [command.name, command.summary]);
  const width = Math.max(...rows.map(([name]) => (name ?? '').length));
  return `pg2ddb — keep DynamoDB in sync with PostgreSQL

usage: pg2ddb <command> [options]        pg2ddb <command> --help for its options

commands:
${rows.map(([name, summary]) => `  ${(name ?? '').padEnd(width)}  ${summary}`).join('\n')}

Every pipeline command takes --mapping FILE and --json (one JSON document on stdout).
Exit codes: 0 ok / ready, 1 findings / not ready / failed, 2 usage error or bad configuration,
3 a dependency (PostgreSQL, Kafka, Kafka Connect, DynamoDB) is unreachable.
Connection settings come from PG2DDB_* environment variables, or from the embedded stack's
.stack/stack.env when it is running. See README.md and docs/runbook.md.`;
}

// The AWS SDK warns on every client creation that it will need Node 22 from 2027; on an
// operator's screen (above a status --watch redraw) that is noise. The SDK's own switch.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main(argv: string[]): Promise<number> {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    print(overview());
    return name ? ExitCode.Ok : ExitCode.Usage;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    process.stderr.write(`pg2ddb: unknown command "${name}"\n\n${overview()}\n`);
    return ExitCode.Usage;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, allowPositionals: true, strict: true, options: { ...command.options, help: { type: 'boolean', short: 'h', default: false } } });
  } catch (error) {
    process.stderr.write(`pg2ddb ${name}: ${errorMessage(error)}\n\n${command.usage}\n`);
    return ExitCode.Usage;
  }
  if (parsed.values.help) {
    print(command.usage);
    return ExitCode.Ok;
  }
  const json = parsed.values.json === true;
  try {
    return await command.run({
      values: parsed.values,
      positionals: parsed.positionals,
      env: cliEnv(),
      print: json ? () => undefined : print,
      json,
      emitJson: (value) => process.stdout.write(`${JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`),
      tty: process.stdout.isTTY === true,
    });
  } catch (error) {
    const code = exitCodeFor(error);
    process.stderr.write(`pg2ddb ${name}: ${errorMessage(error)}\n${error instanceof UsageError ? `\n${command.usage}\n` : ''}`);
    if (json) process.stdout.write(`${JSON.stringify({ ok: false, exitCode: code, error: errorMessage(error) })}\n`);
    return code;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`pg2ddb: ${errorMessage(error)}\n`);
    process.exitCode = ExitCode.Findings;
  },
);
