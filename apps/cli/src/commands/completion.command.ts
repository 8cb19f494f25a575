import type { CliCommand } from '../framework/cli-command';
import { ExitCode, UsageError } from '../framework/exit-codes';
import { GLOBAL_OPTIONS } from '../framework/global-options';
import { bashCompletion, zshCompletion, type CompletionSpec } from '../framework/shell-completion';

// The first positional some commands take, which parseArgs does not know about.
const ACTIONS: Record<string, string[]> = {
  connector: ['apply', 'status', 'pause', 'resume', 'stop', 'restart', 'delete'],
  dlq: ['list', 'replay'],
  completion: ['bash', 'zsh'],
};

/** `pg2ddb completion bash|zsh`: the shell completion script, from the registered commands. */
export function completionCommand(commands: () => readonly CliCommand[]): CliCommand {
  return {
    name: 'completion',
    summary: 'print the shell completion script (bash or zsh)',
    usage: `usage: pg2ddb completion bash|zsh

  bash   eval "$(pg2ddb completion bash)"            (in ~/.bashrc)
  zsh    eval "$(pg2ddb completion zsh)"             (in ~/.zshrc, after compinit)

Completes the commands, their options, the actions of connector and dlq, the values of
--output, --stage and --mode, and file names after --mapping.`,
    options: {},
    async run({ positionals }) {
      const shell = positionals[0];
      if (shell !== 'bash' && shell !== 'zsh') throw new UsageError(`completion needs a shell: bash or zsh (got ${shell === undefined ? 'nothing' : `"${shell}"`})`);
      const specs: CompletionSpec[] = commands().map((command) => ({
        name: command.name,
        summary: command.summary,
        options: [...new Set([...Object.keys(command.options), ...Object.keys(GLOBAL_OPTIONS)])].map((option) => `--${option}`).sort(),
        actions: ACTIONS[command.name] ?? [],
      }));
      process.stdout.write(shell === 'bash' ? bashCompletion(specs) : zshCompletion(specs));
      return ExitCode.Ok;
    },
  };
}
