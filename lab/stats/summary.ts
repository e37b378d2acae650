// Summaries across rounds: medians, because a round disturbed by a neighbour on a shared machine
// should not move the headline number.
import { median } from 'simple-statistics';
import type { MetricSummary, Overhead, RoundResult } from '../result/schema.js';

export function summarizeRounds(rounds: RoundResult[]): Record<string, MetricSummary> {
  const keys = new Set(rounds.flatMap((r) => Object.keys(r.metrics)));
  const out: Record<string, MetricSummary> = {};
  for (const key of keys) {
    const values = rounds.map((r) => r.metrics[key]).filter((v): v is number => v !== undefined && Number.isFinite(v));
    if (values.length === 0) continue;
    out[key] = { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length };
  }
  return out;
}

/** Overhead against `direct` measured in the same round, round by round, then the median. */
export function overheadVsDirect(target: RoundResult[], direct: RoundResult[]): Overhead | undefined {
  const pairs = target
    .map((t) => ({ t, d: direct.find((d) => d.round === t.round) }))
    .filter((p): p is { t: RoundResult; d: RoundResult } => p.d !== undefined && (p.d.metrics.rps ?? 0) > 0);
  if (pairs.length === 0) return undefined;
  const m = (f: (p: { t: RoundResult; d: RoundResult }) => number): number => median(pairs.map(f));
  const r3 = (n: number): number => Math.round(n * 1000) / 1000;
  return {
    rps_ratio: r3(m((p) => (p.t.metrics.rps ?? 0) / p.d.metrics.rps!)),
    p50_added_us: r3(m((p) => p.t.latency_us.p50 - p.d.latency_us.p50)),
    p99_added_us: r3(m((p) => p.t.latency_us.p99 - p.d.latency_us.p99)),
    p99_ratio: r3(m((p) => (p.d.latency_us.p99 > 0 ? p.t.latency_us.p99 / p.d.latency_us.p99 : 0))),
  };
}
