/** How human output may be decorated: colour only on a terminal and only when NO_COLOR is unset. */
export interface TerminalStyle {
  colour: boolean;
  /** The text in the colour when colour is on, else the text unchanged. */
  paint(text: string, colour: 'red' | 'green' | 'yellow' | 'dim' | 'bold'): string;
  /** A verdict's leading mark: an emoji and a space on a colour terminal, nothing otherwise. */
  mark(ok: boolean): string;
}

const CODES = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;

/**
 * The style for one stream: colour when it is a terminal and NO_COLOR is unset or empty
 * (no-color.org), never when piped; the same switch decides the verdicts' emoji.
 */
export function terminalStyle(isTty: boolean, env: Record<string, string | undefined>): TerminalStyle {
  const colour = isTty && (env.NO_COLOR === undefined || env.NO_COLOR === '') && env.TERM !== 'dumb';
  return {
    colour,
    paint: (text, name) => (colour ? `\x1b[${CODES[name]}m${text}\x1b[0m` : text),
    mark: (ok) => (colour ? (ok ? '\u2705 ' : '\u274c ') : ''),
  };
}

/** The colour a connector or task state is shown in. */
export function stateColour(state: string): 'red' | 'green' | 'yellow' {
  if (state === 'RUNNING') return 'green';
  if (state === 'FAILED' || state === 'UNKNOWN' || state === 'ABSENT') return 'red';
  return 'yellow';
}
