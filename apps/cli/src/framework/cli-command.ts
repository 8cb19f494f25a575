import type { ParseArgsConfig } from 'node:util';

/** Parsed option values of one command (strings and booleans, as node:util parseArgs gives them). */
export type OptionValues = Record<string, string | boolean | Array<string | boolean> | undefined>;

/** What a command gets: its options and positionals, the environment and where to write. */
export interface CommandContext {
  values: OptionValues;
  positionals: string[];
  env: Record<string, string | undefined>;
  /** Human output (stdout), one line per call. Silent under --json. */
  print: (line: string) => void;
  /** True under --json: the command prints one JSON document with `emitJson` and nothing else. */
  json: boolean;
  emitJson: (value: unknown) => void;
  /** True when stdout is a terminal (live redraw, colours); false when piped. */
  tty: boolean;
}

/** One `pg2ddb <name>` subcommand: its help and its body. Registered in main.ts. */
export interface CliCommand {
  name: string;
  /** One line for the overview (`pg2ddb --help`). */
  summary: string;
  /** The full usage text for `pg2ddb <name> --help`. */
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Resolves the exit code (see exit-codes.ts). */
  run(context: CommandContext): Promise<number>;
}
