// The verdict on one step: is the canary worse? Three checks, each on numbers from the proxy's own
// request-duration histogram:
// - latency, canary against primary in the same step (at 100 %, against the weight-0 reference):
//   canary p50 or p99 above max_latency_ratio × the primary's AND more than min_delta_ms above it
//   (so 0.3 ms vs 0.7 ms is not a regression);
// - errors: canary 5xx rate above the primary's by more than max_error_rate;
// - collateral: both variants share one event loop, so a costly canary slows the primary's requests
//   too and the side-by-side ratio hides it. The whole process's p50 in the step is compared with
//   the weight-0 reference step by the same ratio and floor (p50 only: p99 on a shared machine
//   moves too much on its own).
// Too few canary requests to judge: "inconclusive", which promotes (the guard still watches).
import { quantile, type VariantCounts } from './prom.js';

export interface JudgeSettings {
  max_latency_ratio: number;
  min_delta_ms: number;
  max_error_rate: number;
  min_samples: number;
}

export interface SideStats {
  requests: number;
  errors: number;
  error_rate: number;
  p50_ms?: number;
  p99_ms?: number;
}

export interface StepVerdict {
  verdict: 'pass' | 'fail' | 'inconclusive';
  reasons: string[];
  primary: SideStats;
  canary: SideStats;
}

export function sideStats(c: VariantCounts | undefined): SideStats {
  if (!c || c.requests <= 0) return { requests: 0, errors: 0, error_rate: 0 };
  const p50 = quantile(c.buckets, 0.5);
  const p99 = quantile(c.buckets, 0.99);
  return {
    requests: c.requests,
    errors: c.errors,
    error_rate: c.errors / c.requests,
    ...(p50 === undefined ? {} : { p50_ms: round(p50 * 1000) }),
    ...(p99 === undefined ? {} : { p99_ms: round(p99 * 1000) }),
  };
}

/**
 * @param reference the primary's stats to compare against: this step's, or (at 100 %, when the
 * primary serves nothing) the last step's that had enough primary requests.
 */
export function judgeStep(
  primary: SideStats,
  canary: SideStats,
  reference: SideStats | undefined,
  s: JudgeSettings,
  collateral?: { all: SideStats; weightZero: SideStats },
): StepVerdict {
  const reasons: string[] = [];
  if (canary.requests < s.min_samples) {
    return { verdict: 'inconclusive', reasons: [`${canary.requests} canary requests < min samples ${s.min_samples}`], primary, canary };
  }
  const ref = reference && reference.requests >= s.min_samples ? reference : undefined;
  const refRate = ref?.error_rate ?? 0;
  if (canary.error_rate - refRate > s.max_error_rate) {
    reasons.push(`error rate ${pct(canary.error_rate)} vs primary ${pct(refRate)} (more than ${pct(s.max_error_rate)} above)`);
  }
  if (ref) {
    for (const key of ['p50_ms', 'p99_ms'] as const) {
      const c = canary[key];
      const p = ref[key];
      if (c === undefined || p === undefined) continue;
      if (c > s.max_latency_ratio * p && c - p > s.min_delta_ms) {
        reasons.push(`${key.replace('_ms', '')} ${c.toFixed(3)} ms vs primary ${p.toFixed(3)} ms (${(c / p).toFixed(2)}x > ${s.max_latency_ratio}x)`);
      }
    }
  }
  if (collateral && collateral.weightZero.requests >= s.min_samples) {
    const now = collateral.all.p50_ms;
    const before = collateral.weightZero.p50_ms;
    if (now !== undefined && before !== undefined && now > s.max_latency_ratio * before && now - before > s.min_delta_ms) {
      reasons.push(`the whole process slowed: p50 ${now.toFixed(3)} ms vs ${before.toFixed(3)} ms at weight 0 (${(now / before).toFixed(2)}x > ${s.max_latency_ratio}x)`);
    }
  }
  return { verdict: reasons.length > 0 ? 'fail' : 'pass', reasons, primary, canary };
}

const round = (n: number): number => Math.round(n * 1000) / 1000;
const pct = (n: number): string => `${(n * 100).toFixed(2)}%`;
