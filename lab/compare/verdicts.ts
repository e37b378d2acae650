// Per-metric verdicts between two measured targets: the per-round values of each metric are the
// samples; lab/stats/compare.ts decides better / worse / no detectable difference with the effect
// size (relative change of medians), a bootstrap CI and a Mann-Whitney p-value.
import { compareSamples, minimumDetectableEffect, relativeNoise, type MetricComparison } from '../stats/compare.js';
import { HIGHER_IS_BETTER, type MetricKey, type TargetResult } from '../result/schema.js';
import { formatBytes, formatCount, formatMs, formatSmall } from '../report/format.js';
import { pairedEvidence, type PairedEvidence } from './paired.js';

export interface MetricDef {
  key: MetricKey;
  label: string;
  format: (value: number) => string;
}

/** What compare judges, in the order reports show it. */
export const COMPARE_METRICS: MetricDef[] = [
  { key: 'rps', label: 'rps', format: formatCount },
  { key: 'p50_us', label: 'p50 ms', format: formatMs },
  { key: 'p99_us', label: 'p99 ms', format: formatMs },
  { key: 'p999_us', label: 'p99.9 ms', format: formatMs },
  { key: 'cpu_us_per_req', label: 'CPU µs/req', format: formatSmall },
  { key: 'alloc_bytes_per_req', label: 'alloc/req', format: formatBytes },
  { key: 'gc_per_1k', label: 'GC /1k req', format: formatSmall },
  { key: 'gc_pause_us_per_1k', label: 'GC pause µs /1k req', format: formatSmall },
  { key: 'peak_rss_bytes', label: 'peak RSS', format: formatBytes },
  { key: 'el_delay_p99_us', label: 'event-loop p99 ms', format: formatMs },
  { key: 'errors', label: 'errors', format: formatSmall },
];

export const ALPHA = 0.05;
/** A relative change smaller than this is never called better or worse, however significant. */
export const THRESHOLD = 0.05;
const SEED = 20261123;

export interface MetricVerdict extends MetricComparison {
  key: MetricKey;
  label: string;
  higherIsBetter: boolean;
  /** round-by-round evidence (B_i against A_i), shown next to the verdict; see paired.ts */
  paired?: PairedEvidence;
}

export function samples(target: TargetResult, key: MetricKey): number[] {
  return target.rounds.map((r) => r.metrics[key]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
}

/** B judged against A for one metric; undefined when either side cannot report it (e.g. alloc of nginx). */
export function compareMetric(a: TargetResult, b: TargetResult, key: MetricKey, alpha = ALPHA): MetricComparison | undefined {
  const x = samples(a, key);
  const y = samples(b, key);
  if (x.length === 0 || y.length === 0) return undefined;
  const higherIsBetter = HIGHER_IS_BETTER[key];
  // All zeros on both sides (errors, usually): nothing to test, and a relative change of 0/0 is undefined.
  if (x.every((v) => v === 0) && y.every((v) => v === 0)) {
    return { baselineMedian: 0, currentMedian: 0, change: 0, ci: [0, 0], pValue: 1, significant: false, verdict: 'no-difference', n: [x.length, y.length] };
  }
  return compareSamples(x, y, { higherIsBetter, alpha, threshold: THRESHOLD, seed: SEED });
}

export function compareTargets(a: TargetResult, b: TargetResult, alpha = ALPHA, metrics: MetricDef[] = COMPARE_METRICS): MetricVerdict[] {
  const out: MetricVerdict[] = [];
  for (const m of metrics) {
    const c = compareMetric(a, b, m.key, alpha);
    if (!c) continue;
    const paired = pairedEvidence(a, b, m.key);
    out.push({ key: m.key, label: m.label, higherIsBetter: HIGHER_IS_BETTER[m.key], ...c, ...(paired ? { paired } : {}) });
  }
  return out;
}

/**
 * The smallest two-sided p-value an exact Mann-Whitney test can give for n against m samples:
 * 2 / C(n+m, n). If that is not below alpha, no verdict is possible however large the effect.
 */
export function smallestPValue(n: number, m: number): number {
  let c = 1;
  for (let i = 1; i <= n; i++) c = (c * (m + i)) / i;
  return Math.min(1, 2 / c);
}

/**
 * How large a change of `key` these rounds could have detected: the rounds' own robust relative
 * noise (the larger of the two targets') through the stats module's minimum detectable effect.
 * Says why "no detectable difference" came out when the machine was noisy.
 */
export function detectableNote(a: TargetResult, b: TargetResult, key: MetricKey, label: string, alpha = ALPHA): string | undefined {
  const x = samples(a, key);
  const y = samples(b, key);
  if (x.length < 2 || y.length < 2) return undefined;
  const noise = Math.max(relativeNoise(x), relativeNoise(y));
  const mde = minimumDetectableEffect(noise, Math.min(x.length, y.length), alpha);
  if (!Number.isFinite(mde)) return undefined;
  return (
    `${label} varied by ±${(noise * 100).toFixed(1)}% between rounds (robust CV): with these rounds only a change of about ` +
    `${(Math.max(mde, THRESHOLD) * 100).toFixed(0)}% or more is reliably detected`
  );
}

/**
 * A metric where the rounds, taken pair by pair, clearly favour one side but the unpaired verdict
 * saw no difference: the machine drifted during the run. Says so, with the paired numbers.
 */
export function driftNote(m: MetricVerdict, alpha: number, who = 'B'): string | undefined {
  const p = m.paired;
  if (!p || m.verdict !== 'no-difference' || p.pValue >= alpha || Math.abs(p.medianChange) <= THRESHOLD) return undefined;
  return (
    `${m.label}: ${who} was ${p.bAhead >= p.bBehind ? `better in ${p.bAhead}` : `worse in ${p.bBehind}`} of ${p.rounds} rounds ` +
    `(median per-round change ${formatChange(p.medianChange)}, ` +
    `paired signed-rank p ${formatP(p.pValue)}), but the machine's speed drifted between rounds too much for the unpaired verdict; ` +
    'rerun with more rounds or on a quieter machine before acting on it'
  );
}

/** Relative change as a signed percentage: "+12.3%", "−4.0%". A change of +∞ (from 0) reads "new". */
export function formatChange(change: number): string {
  if (!Number.isFinite(change)) return change > 0 ? 'from 0' : '–';
  const pct = change * 100;
  const digits = Math.abs(pct) >= 100 ? 0 : 1;
  return `${pct >= 0 ? '+' : '−'}${Math.abs(pct).toFixed(digits)}%`;
}

export function formatCi(ci: [number, number]): string {
  return `[${formatChange(ci[0])}, ${formatChange(ci[1])}]`;
}

export function formatP(p: number): string {
  if (p < 0.001) return '<0.001';
  return p.toFixed(3);
}

export const VERDICT_TEXT = { better: 'better', worse: 'worse', 'no-difference': 'no detectable difference' } as const;
