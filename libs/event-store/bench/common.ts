// Small helpers the event store's benchmarks share.

/** A number of events or rows, rounded and grouped: 12,345. */
export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** A text as an SQL string literal, for statements built into a DO block or a pgbench script. */
export const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** The median of some values (the mean of the middle two when their number is even). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (sorted[(sorted.length - 1) >> 1]! + sorted[sorted.length >> 1]!) / 2;
}
