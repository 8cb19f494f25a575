import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Writes a results document as pretty JSON, creating bench/results/ if needed. */
export function writeResults(path: string, document: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(document, null, 2)}\n`);
}

/**
 * Adds or replaces one labelled run in a results document that keeps several runs (a baseline and
 * its configuration variants), so running one variant again does not erase the others.
 */
export function mergeRun<T>(path: string, label: string, run: T, header: Record<string, unknown>): void {
  let runs: Record<string, unknown> = {};
  try {
    const previous = JSON.parse(readFileSync(path, 'utf8')) as { runs?: Record<string, unknown> };
    runs = previous.runs ?? {};
  } catch {
    // no previous results
  }
  runs[label] = run;
  writeResults(path, { ...header, runs });
}
