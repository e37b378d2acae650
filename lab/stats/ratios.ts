// Same-round overhead ratios against `direct`: target / direct, round by round. These are what can be
// compared across machines, where absolute times are not (a faster CPU moves both sides).
import type { RoundResult } from '../result/schema.js';

export const RATIO_KEYS = ['rps_ratio', 'p50_ratio', 'p99_ratio'] as const;
export type RatioKey = (typeof RATIO_KEYS)[number];
export const RATIO_HIGHER_IS_BETTER: Record<RatioKey, boolean> = { rps_ratio: true, p50_ratio: false, p99_ratio: false };

export interface RoundRatios {
  round: number;
  rps_ratio: number;
  p50_ratio: number;
  p99_ratio: number;
}

export function roundRatios(target: readonly RoundResult[], direct: readonly RoundResult[]): RoundRatios[] {
  const out: RoundRatios[] = [];
  for (const t of target) {
    const d = direct.find((r) => r.round === t.round);
    if (!d || !(d.metrics.rps! > 0) || !(d.latency_us.p50 > 0) || !(d.latency_us.p99 > 0)) continue;
    out.push({
      round: t.round,
      rps_ratio: (t.metrics.rps ?? 0) / d.metrics.rps!,
      p50_ratio: t.latency_us.p50 / d.latency_us.p50,
      p99_ratio: t.latency_us.p99 / d.latency_us.p99,
    });
  }
  return out;
}
