import { spawnSync } from 'node:child_process';
import { bashCompletion, zshCompletion } from './shell-completion';

const specs = [
  { name: 'status', summary: 'per entity: load progress', options: ['--mapping', '--output', '--watch'], actions: [] },
  { name: 'connector', summary: 'apply | status the connector', options: ['--mapping', '--timeout'], actions: ['apply', 'status', 'pause'] },
];

/** COMPREPLY of the bash script for a command line (the last word is being completed). */
function complete(words: string[]): string[] {
  const script = `${bashCompletion(specs)}
COMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _pg2ddb; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const result = spawnSync('bash', ['--norc', '-c', script], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  return result.stdout.split('\n').filter(Boolean);
}

describe('shell completion', () => {
  it('completes commands, actions, options and option values in a real bash', () => {
    expect(complete(['pg2ddb', 'con'])).toEqual(['connector']);
    expect(complete(['pg2ddb', ''])).toEqual(['status', 'connector', '--help', '--version']);
    expect(complete(['pg2ddb', 'connector', 'pa'])).toEqual(['pause']);
    expect(complete(['pg2ddb', 'status', '--w'])).toEqual(['--watch']);
    expect(complete(['pg2ddb', 'status', '--output', 't'])).toEqual(['table', 'text']);
  });

  it('gives zsh the commands with their summaries, the actions and the files after --mapping', () => {
    const script = zshCompletion(specs);
    expect(script.startsWith('#compdef pg2ddb\n')).toBe(true);
    expect(script).toContain(`'connector:apply | status the connector'`);
    expect(script).toContain(`connector) _arguments '--mapping[mapping]:file:_files' '--timeout' '1:action:(apply status pause)'`);
    expect(script).toContain(`'--output[output]:value:(json table text)'`);
  });
});
