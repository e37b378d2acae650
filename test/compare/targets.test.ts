// Target specs of compare/ablate resolved against a scenario (no processes): presets, flag sets,
// named targets, burn, inherited proxy config, and errors that name the bad value (exit 2).
import { describe, expect, it } from 'vitest';
import { parseFlagList, resolveTargetSpec } from '../../lab/compare/targets.js';
import { planAblation } from '../../lab/ablate/plan.js';
import { smallestPValue } from '../../lab/compare/verdicts.js';
import { signedRankP } from '../../lab/compare/paired.js';
import { UsageError } from '../../lab/errors.js';
import type { Scenario } from '../../lab/scenario/load.js';

const scenario = {
  file: '/x/s.yaml',
  targets: [
    { kind: 'proxy', name: 'baseline', preset: 'baseline', flags: {}, config: '/x/routes.yaml' },
    { kind: 'proxy', name: 'optimized', preset: 'optimized', flags: {}, config: '/x/routes.yaml' },
    { kind: 'external', name: 'nginx', command: 'nginx', args: [], ready: { tcp: true, timeout_s: 5 } },
  ],
} as unknown as Scenario;

function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('resolveTargetSpec', () => {
  it('takes a target of the scenario by name, as written there', () => {
    expect(resolveTargetSpec('nginx', scenario, '--a')).toBe(scenario.targets[2]);
  });

  it('builds flag sets on a preset, with the scenario proxy targets\' shared config', () => {
    expect(resolveTargetSpec('optimized,pooling=off', scenario, '--b')).toEqual({
      kind: 'proxy', name: 'optimized-pooling-off', preset: 'optimized', flags: { pooling: false }, config: '/x/routes.yaml',
    });
    // Without a preset, flags start from baseline; a flag equal to the preset's value is dropped.
    expect(resolveTargetSpec('streaming=on,raw_headers=off', scenario, '--b')).toMatchObject({ preset: 'baseline', flags: { streaming: true } });
    expect(resolveTargetSpec('optimized,burn=50us', scenario, '--b')).toMatchObject({ preset: 'optimized', flags: {}, burn_us: 50 });
  });

  it('names the option and the bad value', () => {
    expect(usageError(() => resolveTargetSpec('turbo', scenario, '--b')).message).toContain('--b "turbo": unknown target "turbo"');
    expect(usageError(() => resolveTargetSpec('baseline,zoom=on', scenario, '--a')).message).toContain('unknown flag "zoom"');
    expect(usageError(() => resolveTargetSpec('baseline,pooling', scenario, '--a')).message).toContain('pooling: expected NAME=on|off');
    expect(usageError(() => resolveTargetSpec(' , ', scenario, '--a')).message).toContain('empty target');
  });
});

describe('ablation plan', () => {
  it('has baseline, optimized, and per flag baseline+flag and optimized−flag, never the scenario\'s own targets', () => {
    const plan = planAblation(scenario, parseFlagList('pooling,streaming'));
    expect(plan.targets.map((t) => t.name)).toEqual(['baseline', 'optimized', 'baseline+pooling', 'optimized-pooling', 'baseline+streaming', 'optimized-streaming']);
    expect(plan.targets[2]).toMatchObject({ preset: 'baseline', flags: { pooling: true }, config: '/x/routes.yaml' });
    expect(plan.targets[5]).toMatchObject({ preset: 'optimized', flags: { streaming: false } });
    expect(parseFlagList(undefined)).toEqual(['pooling', 'streaming', 'precompiled_rules', 'snapshot_config', 'async_logging', 'raw_headers']);
    expect(usageError(() => parseFlagList('pooling,burn')).message).toContain('unknown flag "burn"');
  });
});

describe('smallestPValue', () => {
  it('is 2 / C(n+m, n): 0.1 for 3 vs 3, below 0.05 from 4 vs 4', () => {
    expect(smallestPValue(3, 3)).toBeCloseTo(0.1, 10);
    expect(smallestPValue(4, 4)).toBeCloseTo(2 / 70, 10);
    expect(smallestPValue(6, 6)).toBeCloseTo(2 / 924, 10);
    expect(smallestPValue(2, 2)).toBeCloseTo(1 / 3, 10);
  });
});

describe('signedRankP (paired rounds)', () => {
  it('is exact: 2 / 2^n when every round points the same way, 1 when balanced', () => {
    expect(signedRankP([0.1, 0.2, 0.3, 0.4, 0.5, 0.6])).toBeCloseTo(2 / 64, 12);
    expect(signedRankP([-0.1, -0.2, -0.3, -0.4, -0.5])).toBeCloseTo(2 / 32, 12);
    expect(signedRankP([1, 2, -3])).toBe(1);
    // W+ = 1 + 2 + 3 + 4 + 5 = 15 (mean 10.5): P(W+ ≤ 6) = (1+1+1+2+2+3+4)/64 each side, so 28/64.
    expect(signedRankP([1, 2, 3, 4, 5, -6])).toBeCloseTo(28 / 64, 12);
    // Ties share mid-ranks: |d| = 1, 1, 2 → ranks 1.5, 1.5, 3; all positive is the extreme of 8 patterns.
    expect(signedRankP([1, 1, 2])).toBeCloseTo(2 / 8, 12);
    expect(signedRankP([0, 0])).toBe(1);
  });
});
