// Latency histograms in microseconds. autocannon's own histogram has a 1 ms floor, so the lab
// records every response time here instead (HDR, 3 significant digits: ±0.1 % at any magnitude).
import * as hdr from 'hdr-histogram-js';

export type Histogram = hdr.Histogram;

export function latencyHistogram(): Histogram {
  // The pure-JS implementation: no WASM memory to free, and encode/decode work the same.
  return hdr.build({ bitBucketSize: 64, autoResize: true, lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3, useWebAssembly: false });
}

/** Record a response time given in (float) milliseconds, as autocannon and hrtime deltas give it. */
export function recordMs(h: Histogram, ms: number): void {
  h.recordValue(Math.max(1, Math.round(ms * 1000)));
}

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

export function summarize(h: Histogram): LatencySummary {
  if (h.totalCount === 0) return { p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 };
  return {
    p50: h.getValueAtPercentile(50),
    p90: h.getValueAtPercentile(90),
    p99: h.getValueAtPercentile(99),
    p999: h.getValueAtPercentile(99.9),
    max: h.maxValue,
    mean: Math.round(h.mean * 10) / 10,
  };
}

export function encode(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decode(text: string): Histogram {
  return hdr.decodeFromCompressedBase64(text, 32, false);
}

/** Percentiles for a curve on a log axis: 0, 50, 75, 87.5 … towards 99.999, then 100. */
export const CURVE_PERCENTILES = [0, 50, 75, 90, 95, 97.5, 99, 99.5, 99.9, 99.95, 99.99, 99.999, 100];

export function curve(h: Histogram): Array<[number, number]> {
  if (h.totalCount === 0) return [];
  return CURVE_PERCENTILES.map((p) => [p, p === 100 ? h.maxValue : h.getValueAtPercentile(p)]);
}

export function merge(hists: Histogram[]): Histogram {
  const out = latencyHistogram();
  for (const h of hists) out.add(h);
  return out;
}
