import { describe, expect, it } from 'vitest';
import {
  bootstrapMedianCI,
  compareSamples,
  mannWhitneyP,
  minimumDetectableEffect,
  relativeNoise,
  smallestExactP,
} from '../../lab/stats/compare.js';

describe('Mann-Whitney U', () => {
  it('matches the exact two-sided p-values of reference implementations', () => {
    expect(mannWhitneyP([1, 2, 3], [4, 5, 6])).toBeCloseTo(0.1, 10);
    expect(mannWhitneyP([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])).toBeCloseTo(2 / 252, 10);
    // scipy.stats.mannwhitneyu docs example (method='exact'): p = 0.1111
    expect(mannWhitneyP([19, 22, 16, 29, 24], [20, 11, 17, 12])).toBeCloseTo(0.1111111, 6);
    expect(mannWhitneyP([1, 2, 3], [1, 2, 3])).toBe(1);
    expect(mannWhitneyP([5, 5, 5], [5, 5, 5])).toBe(1);
  });

  it('handles ties exactly and agrees with the normal approximation for larger samples', () => {
    const a = Array.from({ length: 40 }, (_, i) => i % 7);
    const b = Array.from({ length: 40 }, (_, i) => (i % 7) + 1);
    const p = mannWhitneyP(a, b); // pooled 80: normal approximation
    expect(p).toBeGreaterThan(0.001);
    expect(p).toBeLessThan(0.1);
    const small = mannWhitneyP(a.slice(0, 25), b.slice(0, 25)); // pooled 50: exact
    expect(small).toBeGreaterThan(0);
    expect(small).toBeLessThanOrEqual(1);
  });

  it('states the exact floor: 3 vs 3 can never reach 0.05', () => {
    expect(smallestExactP(3)).toBeCloseTo(0.1, 10);
    expect(smallestExactP(4)).toBeCloseTo(2 / 70, 10);
    expect(minimumDetectableEffect(0.02, 3)).toBe(Infinity);
    expect(minimumDetectableEffect(0.02, 5)).toBeGreaterThan(0);
    expect(minimumDetectableEffect(0.02, 20)).toBeLessThan(minimumDetectableEffect(0.02, 5));
  });
});

describe('compareSamples', () => {
  const base = [100, 102, 98, 101, 99, 100, 103, 97];
  it('calls a large consistent slowdown worse (latency) and a gain better (rps)', () => {
    const slower = base.map((x) => x * 1.3);
    const r = compareSamples(base, slower, { higherIsBetter: false, seed: 1 });
    expect(r.verdict).toBe('worse');
    expect(r.change).toBeCloseTo(0.3, 1);
    expect(r.ci[0]).toBeGreaterThan(0.1);
    expect(r.pValue).toBeLessThan(0.05);
    expect(compareSamples(base, slower, { higherIsBetter: true }).verdict).toBe('better');
    expect(r.n).toEqual([8, 8]);
  });

  it('never calls a significant change below the threshold', () => {
    const shifted = base.map((x) => x + 3.5); // consistent but ~3.5%
    const r = compareSamples(base, shifted, { higherIsBetter: false });
    expect(r.verdict).toBe('no-difference');
    expect(compareSamples(base, shifted, { higherIsBetter: false, threshold: 0.01 }).verdict).toBe(
      r.significant ? 'worse' : 'no-difference',
    );
  });

  it('is deterministic for a seed and the interval brackets the median', () => {
    const a = bootstrapMedianCI(base, { seed: 7 });
    expect(bootstrapMedianCI(base, { seed: 7 })).toEqual(a);
    expect(a[0]).toBeLessThanOrEqual(100);
    expect(a[1]).toBeGreaterThanOrEqual(100);
  });

  it('treats 0 → 0 as no change (errors)', () => {
    const r = compareSamples([0, 0, 0, 0], [0, 0, 0, 0], { higherIsBetter: false });
    expect(r.change).toBe(0);
    expect(r.verdict).toBe('no-difference');
  });

  it('relativeNoise ignores one stray round', () => {
    expect(relativeNoise([100, 101, 99, 100, 500])).toBeLessThan(0.02);
  });
});
