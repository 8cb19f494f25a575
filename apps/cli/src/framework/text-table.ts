/** Left-aligned columns separated by two spaces; the first row is the header. */
export function textTable(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, [...cell].length)));
  return rows.map((row) =>
    row
      .map((cell, index) => (index === row.length - 1 ? cell : cell + ' '.repeat((widths[index] ?? 0) - [...cell].length)))
      .join('  ')
      .trimEnd(),
  );
}
