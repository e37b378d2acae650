// Round-paired evidence next to the stats module's unpaired verdict. Rounds are interleaved, so
// A's and B's round i ran back to back; on a shared machine whose speed drifts during a run (other
// load tests starting and stopping), the per-round ratio B_i / A_i is steady while the values
// themselves swing. The unpaired Mann-Whitney verdict cannot see past such drift; this says, per
// metric, in how many rounds B was ahead and how unlikely that is with no difference (exact
// Wilcoxon signed-rank test on the per-round log ratios).
import { median } from 'simple-statistics';
import type { MetricKey, TargetResult } from '../result/schema.js';
import { HIGHER_IS_BETTER } from '../result/schema.js';

export interface PairedEvidence {
  /** rounds measured for both A and B with a usable (positive) value on both sides */
  rounds: number;
  /** rounds in which B was better than A in the metric's good direction */
  bAhead: number;
  /** rounds in which B was worse (the rest were equal) */
  bBehind: number;
  /** median over rounds of B_i / A_i − 1 */
  medianChange: number;
  /** two-sided exact Wilcoxon signed-rank p on log(B_i / A_i) */
  pValue: number;
}

export function pairedEvidence(a: TargetResult, b: TargetResult, key: MetricKey): PairedEvidence | undefined {
  const logRatios: number[] = [];
  for (const ra of a.rounds) {
    const rb = b.rounds.find((r) => r.round === ra.round);
    const x = ra.metrics[key];
    const y = rb?.metrics[key];
    if (x === undefined || y === undefined || !(x > 0) || !(y > 0)) continue;
    logRatios.push(Math.log(y / x));
  }
  if (logRatios.length === 0) return undefined;
  const up = HIGHER_IS_BETTER[key];
  return {
    rounds: logRatios.length,
    bAhead: logRatios.filter((l) => (up ? l > 0 : l < 0)).length,
    bBehind: logRatios.filter((l) => (up ? l < 0 : l > 0)).length,
    medianChange: Math.exp(median(logRatios)) - 1,
    pValue: signedRankP(logRatios),
  };
}

/**
 * Two-sided exact Wilcoxon signed-rank p: rank |d| (mid-ranks for ties, zeros dropped), then the
 * share of the 2^n equally likely sign patterns whose positive rank sum is at least as far from
 * its mean as the observed one. With n pairs the smallest p is 2 / 2^n (0.031 for 6, 0.0625 for 5).
 */
export function signedRankP(differences: readonly number[]): number {
  const d = differences.filter((x) => x !== 0);
  const n = d.length;
  if (n === 0) return 1;
  const order = d.map((v, i) => ({ abs: Math.abs(v), i })).sort((x, y) => x.abs - y.abs);
  const ranks2 = new Array<number>(n); // doubled mid-ranks, integers
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && order[j + 1]!.abs === order[i]!.abs) j++;
    for (let k = i; k <= j; k++) ranks2[order[k]!.i] = i + 1 + (j + 1);
    i = j + 1;
  }
  const total = ranks2.reduce((s, r) => s + r, 0);
  const observed = d.reduce((s, v, i) => s + (v > 0 ? ranks2[i]! : 0), 0);
  const deviation = Math.abs(observed - total / 2);
  // ways[s]: sign patterns with doubled positive rank sum s
  let ways = new Float64Array(total + 1);
  ways[0] = 1;
  for (const r of ranks2) {
    const next = new Float64Array(total + 1);
    for (let s = 0; s <= total; s++) {
      const w = ways[s]!;
      if (w === 0) continue;
      next[s] = next[s]! + w;
      next[s + r] = next[s + r]! + w;
    }
    ways = next;
  }
  let tail = 0;
  for (let s = 0; s <= total; s++) if (Math.abs(s - total / 2) >= deviation - 1e-9) tail += ways[s]!;
  return Math.min(1, tail / 2 ** n);
}
