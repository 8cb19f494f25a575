import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { errorMessage } from '@pg2ddb/errors';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@pg2ddb/service';
import { cliEnv, localStackRequested, stackEnvFile } from './cli-env';
import type { CliCommand } from './framework/cli-command';
import { endpointsLine } from './framework/endpoints-line';
import { ExitCode, exitCodeFor, UsageError } from './framework/exit-codes';
import { withHistory } from './framework/with-history';
import { flagFor, GLOBAL_OPTIONS, GLOBAL_USAGE, outputFormat, settingsFromFlags } from './framework/global-options';
import { ProgressReporter } from './framework/progress-reporter';
import { terminalStyle } from './framework/terminal-style';
import { completionCommand } from './commands/completion.command';
import { connectorCommand } from './commands/connector.command';
import { cutoverCheckCommand } from './commands/cutover-check.command';
import { demoCliCommand, seedDemoCliCommand } from './commands/demo.command';
import { directionCommand } from './commands/direction.command';
import { dlqCommand } from './commands/dlq.command';
import { estimateCommand } from './commands/estimate.command';
import { historyCommand } from './commands/history.command';
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
  // The initial load starts when `connector apply` creates the connector (run history kind `load`).
  withHistory(connectorCommand, 'load', ({ positionals }) => positionals[0] === 'apply'),
  withHistory(snapshotCommand, 'snapshot'),
  statusCommand,
  reconcileCommand,
  estimateCommand,
  withHistory(cutoverCheckCommand, 'cutover-check'),
  directionCommand,
  rollbackCheckCommand,
  withHistory(dlqCommand, 'replay', ({ positionals, values }) => positionals[0] === 'replay' && values['dry-run'] !== true),
  historyCommand,
  demoCliCommand,
  seedDemoCliCommand,
  completionCommand(() => COMMANDS),
];

function overview(): string {
  const rows = COMMANDS.map((command) => [command.name, command.summary]);
  const width = Math.max(...rows.map(([name]) => (name ?? '').length));
  return `pg2ddb ${version()} — keep DynamoDB in sync with PostgreSQL

usage: pg2ddb <command> [options]        pg2ddb <command> --help for its options
       pg2ddb --version

commands:
${rows.map(([name, summary]) => `  ${(name ?? '').padEnd(width)}  ${summary}`).join('\n')}

${GLOBAL_USAGE}

Every pipeline command takes --mapping FILE. Output on stdout is only the result (one JSON
document under --output json); the endpoints used and progress go to stderr.
Exit codes: 0 ok / ready, 1 findings / not ready / failed, 2 usage error (an unreadable argument,
a missing mapping file) or bad configuration, 3 a dependency (PostgreSQL, Kafka, Kafka Connect,
DynamoDB) is unreachable.
Connection settings come from PG2DDB_* environment variables and the flags above; the local
stack's .stack/stack.env only with --local-stack (or in the demo). See README.md and docs/runbook.md.`;
}

/** The version of the pg2ddb package (package.json at the repository or image root). */
function version(): string {
  const file = join(repoRoot(), 'package.json');
  return existsSync(file) ? String((JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version ?? 'unknown') : 'unknown';
}

// The AWS SDK warns on every client creation that it will need Node 22 from 2027; on an
// operator's screen (above a status --watch redraw) that is noise. The SDK's own switch.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), indent);
}

/** A configuration error completed with the flag that sets each variable and the --local-stack hint. */
function explainConfigError(message: string, localStack: boolean): string {
  const flags = [...message.matchAll(/\b([A-Z][A-Z0-9_]+) is (?:required|invalid)/g)].map((match) => [match[1] as string, flagFor(match[1] as string)] as const).filter(([, flag]) => flag);
  const lines = [message, ...flags.map(([variable, flag]) => `  (${variable} can also be set with ${flag})`)];
  if (!localStack && existsSync(stackEnvFile())) lines.push(`  (the local stack's settings are in ${stackEnvFile()}: add --local-stack to use them)`);
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    print(`pg2ddb ${version()}`);
    return ExitCode.Ok;
  }
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
    parsed = parseArgs({ args: rest, allowPositionals: true, strict: true, options: { ...GLOBAL_OPTIONS, ...command.options, help: { type: 'boolean', short: 'h', default: false } } });
  } catch (error) {
    process.stderr.write(`pg2ddb ${name}: ${errorMessage(error)}\n\n${command.usage}\n`);
    return ExitCode.Usage;
  }
  if (parsed.values.help) {
    print(`${command.usage}\n\n${GLOBAL_USAGE}`);
    return ExitCode.Ok;
  }
  let json = parsed.values.json === true || parsed.values.output === 'json';
  let localStack = command.localStack === true || parsed.values['local-stack'] === true || localStackRequested(process.env);
  try {
    const output = outputFormat(parsed.values);
    json = output === 'json';
    const settings = cliEnv({ localStack, flags: settingsFromFlags(parsed.values) });
    localStack = settings.stackFile !== undefined || localStack;
    const stderrTty = process.stderr.isTTY === true;
    const diagnostics = parsed.values.quiet !== true && (stderrTty || !json || parsed.values.verbose === true);
    const uses = typeof command.uses === 'function' ? command.uses(parsed.values) : (command.uses ?? []);
    if (diagnostics && uses.length > 0) process.stderr.write(`${endpointsLine(settings.env, uses, settings)}\n`);
    const tty = process.stdout.isTTY === true;
    return await command.run({
      values: parsed.values,
      positionals: parsed.positionals,
      env: settings.env,
      print: json ? () => undefined : print,
      output,
      json,
      emitJson: (value) => process.stdout.write(`${jsonText(value, 2)}\n`),
      emitJsonLine: (value) => process.stdout.write(`${jsonText(value)}\n`),
      tty,
      style: terminalStyle(tty, process.env),
      progress: new ProgressReporter((text) => process.stderr.write(text), { tty: stderrTty, enabled: diagnostics }),
    });
  } catch (error) {
    const code = exitCodeFor(error);
    const message = (error as { code?: unknown }).code === 'CONFIG_INVALID' ? explainConfigError(errorMessage(error), localStack) : errorMessage(error);
    process.stderr.write(`pg2ddb ${name}: ${message}\n${error instanceof UsageError ? `\n${command.usage}\n` : ''}`);
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
