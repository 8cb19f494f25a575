/** What completion needs to know of one command. */
export interface CompletionSpec {
  name: string;
  summary: string;
  options: string[];
  /** Words accepted as the first positional (`connector apply`, `dlq list`). */
  actions: string[];
}

const FILE_OPTIONS = new Set(['--mapping']);
const VALUES: Record<string, string[]> = { '--output': ['json', 'table', 'text'], '-o': ['json', 'table', 'text'], '--stage': ['transformer', 'writer'], '--mode': ['count', 'sample', 'full', 'recent'] };

/**
 * A bash completion script (complete -F) for the commands, their options, the actions of
 * `connector` and `dlq`, the values of --output/--stage/--mode and files after --mapping.
 */
export function bashCompletion(commands: readonly CompletionSpec[]): string {
  const cases = commands
    .map((command) => `    ${command.name}) words="${[...command.actions, ...command.options].join(' ')}" ;;`)
    .join('\n');
  const values = Object.entries(VALUES)
    .map(([flag, words]) => `    ${flag}) COMPREPLY=($(compgen -W "${words.join(' ')}" -- "$cur")); return ;;`)
    .join('\n');
  return `# bash completion for pg2ddb: eval "$(pg2ddb completion bash)" (e.g. in ~/.bashrc)
_pg2ddb() {
  local cur prev words
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W "${commands.map((c) => c.name).join(' ')} --help --version" -- "$cur"))
    return
  fi
  case "$prev" in
${[...FILE_OPTIONS].map((flag) => `    ${flag}) COMPREPLY=($(compgen -f -- "$cur")); return ;;`).join('\n')}
${values}
  esac
  case "\${COMP_WORDS[1]}" in
${cases}
    *) words="" ;;
  esac
  COMPREPLY=($(compgen -W "$words --help" -- "$cur"))
}
complete -o default -F _pg2ddb pg2ddb
`;
}

/** A zsh completion script (compdef) with the same knowledge, and each command's summary. */
export function zshCompletion(commands: readonly CompletionSpec[]): string {
  const quote = (text: string) => text.replace(/'/g, `'\\''`).replace(/:/g, '\\:');
  const list = commands.map((command) => `    '${command.name}:${quote(command.summary)}'`).join('\n');
  const cases = commands
    .map((command) => {
      const args = command.options.map((option) => {
        if (FILE_OPTIONS.has(option)) return `'${option}[${option.slice(2)}]:file:_files'`;
        const values = VALUES[option];
        return values ? `'${option}[${option.slice(2)}]:value:(${values.join(' ')})'` : `'${option}'`;
      });
      if (command.actions.length > 0) args.push(`'1:action:(${command.actions.join(' ')})'`);
      return `    ${command.name}) _arguments ${args.join(' ')} '*:file:_files' ;;`;
    })
    .join('\n');
  return `#compdef pg2ddb
# zsh completion for pg2ddb: eval "$(pg2ddb completion zsh)" (after compinit), or save it as _pg2ddb on $fpath
_pg2ddb() {
  local -a commands
  commands=(
${list}
  )
  if (( CURRENT == 2 )); then
    _describe 'pg2ddb command' commands
    return
  fi
  local cmd=\${words[2]}
  shift words
  (( CURRENT-- ))
  case $cmd in
${cases}
  esac
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then _pg2ddb "$@"; else compdef _pg2ddb pg2ddb; fi
`;
}
