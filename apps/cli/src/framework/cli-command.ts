import type { ParseArgsConfig } from 'node:util';
import type { Dependency } from './endpoints-line';
import type { OutputFormat } from './global-options';
import type { ProgressReporter } from './progress-reporter';
import type { TerminalStyle } from './terminal-style';

/** Parsed option values of one command (strings and booleans, as node:util parseArgs gives them). */
export type OptionValues = Record<string, string | boolean | Array<string | boolean> | undefined>;

/** What a command gets: its options and positionals, the environment and where to write. */
export interface CommandContext {
  values: OptionValues;
  positionals: string[];
  env: Record<string, string | undefined>;
  /** Human output (stdout), one line per call. Silent under --output json. */
  print: (line: string) => void;
  /** --output: json (one document), table (aligned, the default) or text (key=value lines). */
  output: OutputFormat;
  /** True under --output json (or --json): the command prints one JSON document with `emitJson` and nothing else. */
  json: boolean;
  /** One JSON document, indented. */
  emitJson: (value: unknown) => void;
  /** One JSON document on one line (NDJSON: status --watch). */
  emitJsonLine: (value: unknown) => void;
  /** True when stdout is a terminal (live redraw, colours); false when piped. */
  tty: boolean;
  /** Colour and emoji for stdout: none when piped or NO_COLOR is set. */
  style: TerminalStyle;
  /** Progress of long work, on stderr (never on stdout). */
  progress: ProgressReporter;
}

/** One `pg2ddb <name>` subcommand: its help and its body. Registered in main.ts. */
export interface CliCommand {
  name: string;
  /** One line for the overview (`pg2ddb --help`). */
  summary: string;
  /** The full usage text for `pg2ddb <name> --help`. */
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** What the command connects to, named on stderr before it runs (none: nothing is printed). */
  uses?: readonly Dependency[] | ((values: OptionValues) => readonly Dependency[]);
  /** The repo's demo: takes its settings from the local stack it starts. */
  localStack?: boolean;
  /** Resolves the exit code (see exit-codes.ts). */
  run(context: CommandContext): Promise<number>;
}
