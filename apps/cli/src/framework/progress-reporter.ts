/**
 * Progress of a long command on stderr, so stdout stays one clean document for `jq`: on a
 * terminal one line rewritten in place, otherwise a plain line at most every `everyMs` (logs).
 * Silent when `enabled` is false (--quiet, or --output json with stderr piped).
 */
export class ProgressReporter {
  private shown = false;
  private last = 0;

  constructor(
    private readonly write: (text: string) => void,
    private readonly options: { tty: boolean; enabled: boolean; everyMs?: number },
  ) {}

  /** False when nothing is shown: skip work done only to report progress. */
  get enabled(): boolean {
    return this.options.enabled;
  }

  /** A transient line (rate, counts): throttled when piped, rewritten on a terminal. */
  update(line: string): void {
    if (!this.options.enabled) return;
    const now = Date.now();
    if (!this.options.tty && now - this.last < (this.options.everyMs ?? 2000)) return;
    this.last = now;
    if (this.options.tty) {
      this.write(`\r\x1b[K${line}`);
      this.shown = true;
    } else {
      this.write(`${line}\n`);
    }
  }

  /** A step that always shows (and ends a transient line on a terminal). */
  step(line: string): void {
    if (!this.options.enabled) return;
    this.clear();
    this.write(`${line}\n`);
  }

  /** Removes the transient line, if any. */
  clear(): void {
    if (this.shown) this.write('\r\x1b[K');
    this.shown = false;
  }
}
