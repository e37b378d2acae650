// Number formatting shared by every report. One place decides units and precision so the
// markdown, the HTML tables and the chart labels always agree.

/** Shown for a metric a target cannot report (e.g. CPU of `direct`). */
export const ABSENT = '–';

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Whole number with thousands separators: 24512.4 → "24,512". */
export function formatCount(n: number): string {
  return grouped.format(n);
}

/**
 * Microseconds as milliseconds, without the unit (the column header carries it).
 * Sub-10 ms values keep µs resolution (3 decimals); larger ones need less.
 */
export function formatMs(us: number): string {
  const ms = us / 1000;
  const abs = Math.abs(ms);
  if (abs < 10) return ms.toFixed(3);
  if (abs < 100) return ms.toFixed(2);
  return ms.toFixed(1);
}

/** Signed ms, for "added latency": "+0.123". */
export function formatMsSigned(us: number): string {
  return (us >= 0 ? '+' : '−') + formatMs(Math.abs(us));
}

/** Bytes in binary units with the unit attached: 1536 → "1.5 KiB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** A ratio such as rps ratio: "0.842×". */
export function formatRatio(r: number): string {
  return `${r.toFixed(r < 10 ? 3 : 1)}×`;
}

/** Small per-request quantities (CPU µs/req, GC per 1k): 1 decimal, grouped when large. */
export function formatSmall(n: number): string {
  if (Math.abs(n) >= 1000) return formatCount(n);
  if (Math.abs(n) >= 100) return n.toFixed(0);
  return n.toFixed(n === Math.trunc(n) ? 0 : Math.abs(n) < 10 ? 2 : 1);
}
