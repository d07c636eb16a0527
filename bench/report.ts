// bench/report.ts — what the benchmarks share: the median of their runs
// and a plain-text table.

/** The median of xs (the upper one of an even count). */
export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** header and rows as lines: the first column left-aligned, the others
 *  right-aligned, two spaces between. */
export function tableLines(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)));
  const line = (r: string[]) => r.map((c, k) => (k === 0 ? c.padEnd(widths[k]!) : c.padStart(widths[k]!))).join("  ");
  return [header, ...rows].map(line);
}
