/** Row and item counts of one entity at one moment. */
export interface EntityCount {
  entity: string;
  rows: number;
  items: number;
}

/** One line per entity: `Payment  6,210 / 10,000 items (62.1%)  3,104/s  ETA 1s`. */
export function formatProgress(now: EntityCount[], before: EntityCount[] | undefined, elapsedMs: number): string[] {
  return now.map((count) => {
    const previous = before?.find((entry) => entry.entity === count.entity);
    const rate = previous && elapsedMs > 0 ? ((count.items - previous.items) * 1000) / elapsedMs : 0;
    const pct = count.rows === 0 ? 100 : Math.min(100, (count.items / count.rows) * 100);
    const remaining = Math.max(0, count.rows - count.items);
    const eta = rate > 0 && remaining > 0 ? `  ETA ${formatDuration((remaining / rate) * 1000)}` : '';
    // More items than rows never settles by waiting: the table holds items whose rows are gone.
    const surplus = count.items > count.rows ? `  — ${fmt(count.items - count.rows)} more items than rows: the table holds items of rows that no longer exist ('pg2ddb reconcile ${count.entity} --mode full --repair' removes them)` : '';
    return `${count.entity.padEnd(16)} ${fmt(count.items)} / ${fmt(count.rows)} items (${pct.toFixed(1)}%)  ${fmt(Math.round(Math.max(0, rate)))}/s${eta}${surplus}`;
  });
}

/** True when every entity has as many items as rows. */
export function inSync(counts: EntityCount[]): boolean {
  return counts.every((count) => count.items === count.rows);
}

/** `850ms`, `4.2s`, `3m05s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60000);
  return `${minutes}m${String(Math.round((ms % 60000) / 1000)).padStart(2, '0')}s`;
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}
