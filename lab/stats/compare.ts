// Two-sample comparison of per-round values (baseline rounds vs current rounds) for one metric.
//
// Why these choices:
// - Medians and a rank test (Mann-Whitney U): a round disturbed by a neighbour on a shared machine is
//   an outlier, and neither the median nor ranks let one outlier decide.
// - The test is exact (full null distribution of the rank sum, ties handled with mid-ranks) whenever
//   the pooled sample is small enough to enumerate, which covers every lab run; only beyond that the
//   normal approximation with tie and continuity correction is used.
// - A verdict needs both significance and a relative change above the threshold (default 5%): a real
//   but tiny shift is not worth failing CI for, and a large but noisy one is not evidence.
// - With n rounds per side the smallest possible two-sided exact p is 2 / C(2n, n): 0.1 for 3 vs 3,
//   0.029 for 4 vs 4, 0.0079 for 5 vs 5. So 3 rounds can never reach alpha 0.05; callers that gate
//   need at least 4 rounds a side (the lab's gate defaults to more; see minimumDetectableEffect).
import { median, quantileSorted, cumulativeStdNormalProbability, probit } from 'simple-statistics';

export type Verdict = 'better' | 'worse' | 'no-difference';

export interface CompareOptions {
  higherIsBetter: boolean;
  alpha?: number; // default 0.05 (two-sided)
  threshold?: number; // default 0.05: relative change below this is never a verdict
  resamples?: number; // bootstrap resamples, default 2000
  seed?: number; // deterministic bootstrap
}

export interface MetricComparison {
  baselineMedian: number;
  currentMedian: number;
  /** currentMedian / baselineMedian - 1 (relative effect size); 0 when both are 0, Infinity when only the baseline is 0 */
  change: number;
  /** bootstrap (1 - alpha) percentile interval of the relative change of medians */
  ci: [number, number];
  /** two-sided Mann-Whitney U */
  pValue: number;
  /** pValue < alpha */
  significant: boolean;
  /** 'worse'/'better' only when significant AND |change| > threshold, in that direction */
  verdict: Verdict;
  n: [number, number];
}

export const DEFAULT_ALPHA = 0.05;
export const DEFAULT_THRESHOLD = 0.05;
export const DEFAULT_RESAMPLES = 2000;
const DEFAULT_SEED = 0x5eed;

export function compareSamples(baseline: readonly number[], current: readonly number[], opts: CompareOptions): MetricComparison {
  const base = finite(baseline, 'baseline');
  const cur = finite(current, 'current');
  const alpha = opts.alpha ?? DEFAULT_ALPHA;
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  const baselineMedian = median(base);
  const currentMedian = median(cur);
  const change = relativeChange(baselineMedian, currentMedian);
  const ci = bootstrapChangeCI(base, cur, alpha, opts.resamples ?? DEFAULT_RESAMPLES, opts.seed ?? DEFAULT_SEED);
  const pValue = mannWhitneyP(base, cur);
  const significant = pValue < alpha;
  let verdict: Verdict = 'no-difference';
  if (significant && Math.abs(change) > threshold) {
    const up = change > 0;
    verdict = up === opts.higherIsBetter ? 'better' : 'worse';
  }
  return { baselineMedian, currentMedian, change, ci, pValue, significant, verdict, n: [base.length, cur.length] };
}

/** Percentile-bootstrap (1 - alpha) interval of the median of one sample. */
export function bootstrapMedianCI(samples: readonly number[], opts: { alpha?: number; resamples?: number; seed?: number } = {}): [number, number] {
  const xs = finite(samples, 'samples');
  const alpha = opts.alpha ?? DEFAULT_ALPHA;
  const rand = rng(opts.seed ?? DEFAULT_SEED);
  const stats = new Float64Array(opts.resamples ?? DEFAULT_RESAMPLES);
  for (let i = 0; i < stats.length; i++) stats[i] = resampledMedian(xs, rand);
  return percentileInterval(stats, alpha);
}

/**
 * Minimum detectable effect: the smallest relative shift of the median that the comparison would
 * call significant with 80% power, given
 * - `noise`: the relative spread of one round's value around the median (a coefficient of
 *   variation, e.g. 0.03 for 3%; relativeNoise() estimates it robustly from samples, and an A/A
 *   calibration measures it), and
 * - `n`: rounds per side (baseline and current each have n).
 * Normal-shift power formula for two samples, (z(1-alpha/2) + z(0.8)) * noise * sqrt(2/n), divided by
 * sqrt(3/pi) (Mann-Whitney's asymptotic efficiency against the t test under normal noise). Returns
 * Infinity when n rounds can never reach alpha (the exact test's floor 2 / C(2n, n) >= alpha).
 * Callers that also apply a threshold should report max(threshold, MDE): no smaller change is ever a verdict.
 */
export function minimumDetectableEffect(noise: number, n: number, alpha: number = DEFAULT_ALPHA): number {
  if (!(n >= 1) || smallestExactP(Math.floor(n)) >= alpha) return Infinity;
  const z = probit(1 - alpha / 2) + probit(0.8);
  return (z * Math.max(0, noise) * Math.sqrt(2 / n)) / Math.sqrt(3 / Math.PI);
}

/** Robust relative spread of one sample: 1.4826 * MAD / |median| (a CV that ignores a stray round). */
export function relativeNoise(samples: readonly number[]): number {
  const xs = finite(samples, 'samples');
  const m = median(xs);
  if (m === 0) return 0;
  const mad = median(xs.map((x) => Math.abs(x - m)));
  return (1.4826 * mad) / Math.abs(m);
}

/** Smallest two-sided exact Mann-Whitney p with n rounds a side and no ties. */
export function smallestExactP(n: number): number {
  let c = 1; // C(2n, n)
  for (let k = 1; k <= n; k++) c = (c * (n + k)) / k;
  return Math.min(1, 2 / c);
}

// ---- Mann-Whitney U ----

/** Pooled size up to which the exact null distribution is enumerated (sums of doubled mid-ranks). */
const EXACT_MAX_POOLED = 60;

/** Two-sided p-value of the Mann-Whitney U test (equivalently the Wilcoxon rank-sum test). */
export function mannWhitneyP(a: readonly number[], b: readonly number[]): number {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) return 1;
  const ranks2 = doubledMidRanks([...a, ...b]); // integers: 2 × mid-rank
  const w = ranks2.slice(0, n1).reduce((s, r) => s + r, 0);
  const N = n1 + n2;
  const expected = n1 * (N + 1); // doubled
  if (ranks2.every((r) => r === ranks2[0])) return 1; // everything tied: no evidence either way
  if (N <= EXACT_MAX_POOLED) return exactP(ranks2, n1, Math.abs(w - expected), expected);
  return normalP(ranks2, n1, n2, w / 2);
}

function doubledMidRanks(values: number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((x, y) => x.v - y.v);
  const out = new Array<number>(values.length);
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]!.v === order[i]!.v) j++;
    const doubled = i + 1 + (j + 1); // 2 × average of ranks i+1..j+1
    for (let k = i; k <= j; k++) out[order[k]!.i] = doubled;
    i = j + 1;
  }
  return out;
}

/** P(|W - E| >= observed) over all C(N, n1) equally likely assignments, by dynamic programming on sums. */
function exactP(ranks2: number[], n1: number, observedDev: number, expected: number): number {
  const maxSum = ranks2.reduce((s, r) => s + r, 0);
  const width = maxSum + 1;
  // ways[k][s]: number of k-subsets of the ranks seen so far with doubled rank sum s
  const ways: Float64Array[] = Array.from({ length: n1 + 1 }, () => new Float64Array(width));
  ways[0]![0] = 1;
  for (const r of ranks2) {
    for (let k = n1; k >= 1; k--) {
      const to = ways[k]!;
      const from = ways[k - 1]!;
      for (let s = maxSum; s >= r; s--) if (from[s - r]! !== 0) to[s] = to[s]! + from[s - r]!;
    }
  }
  const dist = ways[n1]!;
  let total = 0;
  let tail = 0;
  for (let s = 0; s < width; s++) {
    const c = dist[s]!;
    if (c === 0) continue;
    total += c;
    if (Math.abs(s - expected) >= observedDev - 1e-9) tail += c;
  }
  return Math.min(1, tail / total);
}

function normalP(ranks2: number[], n1: number, n2: number, w: number): number {
  const N = n1 + n2;
  const u = w - (n1 * (n1 + 1)) / 2;
  const mu = (n1 * n2) / 2;
  // tie correction: sum over tie groups of (t^3 - t)
  const counts = new Map<number, number>();
  for (const r of ranks2) counts.set(r, (counts.get(r) ?? 0) + 1);
  let ties = 0;
  for (const t of counts.values()) ties += t * t * t - t;
  const variance = ((n1 * n2) / 12) * (N + 1 - ties / (N * (N - 1)));
  if (variance <= 0) return 1;
  const z = Math.max(0, Math.abs(u - mu) - 0.5) / Math.sqrt(variance); // continuity correction
  return Math.min(1, 2 * (1 - cumulativeStdNormalProbability(z)));
}

// ---- bootstrap ----

function bootstrapChangeCI(base: number[], cur: number[], alpha: number, resamples: number, seed: number): [number, number] {
  const rand = rng(seed);
  const stats = new Float64Array(resamples);
  for (let i = 0; i < resamples; i++) stats[i] = relativeChange(resampledMedian(base, rand), resampledMedian(cur, rand));
  return percentileInterval(stats, alpha);
}

function resampledMedian(xs: number[], rand: () => number): number {
  const pick = new Array<number>(xs.length);
  for (let i = 0; i < xs.length; i++) pick[i] = xs[Math.floor(rand() * xs.length)]!;
  return median(pick);
}

function percentileInterval(stats: Float64Array, alpha: number): [number, number] {
  const sorted = Array.from(stats).sort((x, y) => x - y);
  return [quantileSorted(sorted, alpha / 2), quantileSorted(sorted, 1 - alpha / 2)];
}

function relativeChange(base: number, cur: number): number {
  if (base === 0) return cur === 0 ? 0 : cur > 0 ? Infinity : -Infinity;
  return cur / base - 1;
}

/** mulberry32: a small seeded generator, so the same inputs always give the same interval. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function finite(xs: readonly number[], what: string): number[] {
  const out = xs.filter((x) => Number.isFinite(x));
  if (out.length === 0) throw new RangeError(`compareSamples: ${what} has no finite values`);
  return out;
}
