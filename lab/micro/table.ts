// The table `proxylab micro` prints: one row per suite × case × implementation.
import type { TaskComparison } from './compare.js';
import type { MicroRun } from './run.js';

export function formatNs(ns: number): string {
  if (ns < 1_000) return `${ns.toFixed(ns < 10 ? 2 : 1)} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(2)} µs`;
  return `${(ns / 1_000_000).toFixed(2)} ms`;
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');

export const COLUMNS = ['suite', 'case', 'impl', 'ops/s', 'mean', 'p99', '±rme', 'ratio'] as const;

export function formatMicroTable(run: MicroRun, comparisons: TaskComparison[] = []): string {
  const withCompare = comparisons.length > 0;
  const header: string[] = [...COLUMNS, ...(withCompare ? ['vs baseline'] : [])];
  const rows: string[][] = [header];
  for (const suite of run.suites) {
    for (const t of suite.tasks) {
      const cmp = comparisons.find((c) => c.suite === suite.name && c.case === t.case && c.impl === t.impl);
      rows.push([
        suite.name,
        t.case,
        t.impl,
        int(t.ops_per_s),
        formatNs(t.mean_ns),
        formatNs(t.p99_ns),
        `±${t.rme_pct.toFixed(2)}%`,
        t.ratio === undefined ? '1.00x' : `${t.ratio.toFixed(2)}x`,
        ...(withCompare ? [cmp ? describe(cmp) : '-'] : []),
      ]);
    }
  }
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const numeric = new Set([3, 4, 5, 6, 7]);
  const lines = rows.map((r) => r.map((cell, i) => (numeric.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd());
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return (
    `${lines.join('\n')}\n` +
    `ratio: ops/s over the case's first implementation (baseline, or round_robin); above 1.00x is faster. ` +
    'mean/p99 per call (each sample is a batch of calls); ±rme: 95% relative margin of error of the mean.\n'
  );
}

function describe(c: TaskComparison): string {
  if (c.verdict === 'new') return 'new (no baseline)';
  const pct = ((c.time_ratio! - 1) * 100).toFixed(1);
  const signed = c.time_ratio! >= 1 ? `+${pct}%` : `${pct}%`;
  return `${signed} ${c.verdict === 'regression' ? 'REGRESSION' : c.verdict}`;
}
