// The gate's choice of evidence, on synthetic rounds (no load): absolute numbers on the same machine,
// same-run ratios against direct when the machine differs or the direct floor moved.
import { describe, expect, it } from 'vitest';
import type { Environment, RoundResult, ScenarioResult, TargetResult } from '../../lab/result/schema.js';
import { baselinesFromResult, baselinesFromResults } from '../../lab/baseline/from-result.js';
import { compareTarget, runDrift } from '../../lab/gate/compare.js';
import { evaluateBudgets } from '../../lab/gate/budgets.js';
import { parseBudget } from '../../lab/scenario/budget.js';

const env: Environment = { git_commit: 'abc', git_dirty: false, node: 'v20.20.0', cpu_model: 'Test CPU', cores: 2, os: 'Linux' };
const jitter = [1, 1.01, 0.99, 1.02, 0.98, 1.005];

function rounds(rps: number, p50: number, cpu = 50): RoundResult[] {
  return jitter.map((j, i) => ({
    round: i + 1,
    started_at: '2026-01-01T00:00:00Z',
    duration_s: 1,
    requests: Math.round(rps * j),
    metrics: { rps: rps * j, p50_us: p50 / j, p99_us: 4 * p50 / j, cpu_us_per_req: cpu / j, errors: i === 2 ? 1 : 0 },
    latency_us: { p50: p50 / j, p90: 2 * p50 / j, p99: 4 * p50 / j, p999: 5 * p50, max: 6 * p50, mean: p50 },
    driver_cpu_pct: 50,
  }));
}
function target(name: string, kind: TargetResult['kind'], r: RoundResult[]): TargetResult {
  return { name, kind, rounds: r, summary: {}, latency_curve: [], driver_saturated: false, notes: [] };
}
function scenario(direct: RoundResult[], proxy: RoundResult[]): ScenarioResult {
  return {
    name: 's',
    description: '',
    file: 's.yaml',
    driver: { name: 'autocannon', connections: 4, pipelining: 1, duration_s: 1, warmup_s: 0 },
    rounds: 6,
    targets: [target('direct', 'direct', direct), target('opt', 'proxy', proxy)],
  };
}
const saved = scenario(rounds(10000, 100), rounds(5000, 200));
const [baseDirect, baseOpt] = baselinesFromResult({
  schema: 'proxylab/result', version: 1, run_id: 'r', started_at: '', finished_at: '', env, scenarios: [saved],
});

describe('gate comparison', () => {
  it('same machine, same floor: absolute; a 30% slowdown of the proxy is a regression', () => {
    const now = scenario(rounds(10000, 100), rounds(3500, 260, 65));
    const c = compareTarget(env, now, now.targets[1]!, baseOpt!, undefined, baseDirect);
    expect(c.mode).toBe('absolute');
    expect(c.regressions.map((r) => r.metric).sort()).toEqual(['cpu_us_per_req', 'p50_us', 'p99_us', 'rps']);
    expect(c.alphaPerMetric).toBeCloseTo(0.0125);
  });

  it('another machine: ratios against direct, and the note says why', () => {
    // Everything twice as fast on the new machine, the proxy's share unchanged: no regression.
    const now = scenario(rounds(20000, 50), rounds(10000, 100));
    const c = compareTarget({ ...env, cpu_model: 'Faster CPU' }, now, now.targets[1]!, baseOpt!, undefined, baseDirect);
    expect(c.mode).toBe('ratio');
    expect(c.notes.join(' ')).toContain('CPU "Test CPU" vs "Faster CPU"');
    expect(c.rows.map((r) => r.metric)).toEqual(['overhead.rps_ratio', 'overhead.p50_ratio', 'overhead.p99_ratio']);
    expect(c.regressions).toEqual([]);
  });

  it('same machine but the direct floor moved (busy neighbours): ratios, not absolute', () => {
    const now = scenario(rounds(6000, 170), rounds(3000, 340));
    const c = compareTarget(env, now, now.targets[1]!, baseOpt!, undefined, baseDirect);
    expect(c.mode).toBe('ratio');
    expect(c.notes.join(' ')).toContain('the direct floor moved');
    expect(c.rows.map((r) => r.metric)).toEqual(['overhead.rps_ratio', 'overhead.p50_ratio', 'overhead.p99_ratio', 'cpu_us_per_req']);
    expect(c.regressions).toEqual([]);
    // ...but a proxy that got costlier per request is still caught by its own CPU time.
    const costlier = scenario(rounds(6000, 170), rounds(2400, 420, 70));
    const worse = compareTarget(env, costlier, costlier.targets[1]!, baseOpt!, undefined, baseDirect);
    expect(worse.regressions.map((r) => r.metric)).toContain('cpu_us_per_req');
  });

  it('budgets: counts are summed over rounds, others are medians, overhead is a same-round ratio', () => {
    const out = evaluateBudgets(saved, { opt: ['errors == 0', 'p50 < 250us', 'overhead.p50 < 1.5x', 'allocPerRequest < 4KiB'].map(parseBudget) });
    expect(out.map((o) => o.pass)).toEqual([false, true, false, false]);
    expect(out[0]!.message).toBe('errors = 1, limit == 0');
    expect(out[2]!.message).toBe('overhead.p50 = 2.000x, limit < 1.500x');
    expect(out[3]!.message).toContain('not measured');
  });
});

describe('gate outputs', () => {
  it('junit: a case per scenario × target × gate; regressions fail, missing baselines are skipped', async () => {
    const { gateJunit, gateMarkdown } = await import('../../lab/gate/format.js');
    const now = scenario(rounds(10000, 100), rounds(3500, 260, 65));
    const c = compareTarget(env, now, now.targets[1]!, baseOpt!, undefined, baseDirect);
    const budgets = evaluateBudgets(now, { opt: [parseBudget('p99 < 5ms')] });
    const summary = { comparisons: [c], budgets, missing: ['s/other'], compared: true };
    const junit = gateJunit(summary);
    expect(junit).toContain('<testsuite name="s" tests="3" failures="1" skipped="1">');
    expect(junit).toContain('name="opt: no regression vs baseline"><failure message="regression: rps -30.0%');
    expect(junit).toContain('name="other: no regression vs baseline"><skipped message="no baseline saved"/>');
    expect(junit).toContain('name="opt: budget p99 &lt; 5ms"><system-out>');
    const md = gateMarkdown(summary);
    expect(md).toContain('## Gate: FAIL');
    expect(md).toContain('No baseline for: s/other');
    expect(md).toMatch(/\| rps \| yes \| [\d,]+ rps \| [\d,]+ rps \| -30\.0% \| \[-[\d.]+%, -[\d.]+%\] \| [\d.e-]+ \| – \| [\d.]+% \| \*\*worse\*\* \|/);
  });
});

describe('baselines pooled from separate runs', () => {
  // Two baseline runs of the same code a whole-run 30% apart (the machine's state of the moment),
  // each tight inside: the gate must not call a current run inside that spread a regression.
  const fast = scenario(rounds(10000, 100), rounds(5000, 200, 50));
  const slow = scenario(rounds(10000, 100), rounds(3850, 260, 65));
  const result = (s: ScenarioResult, id: string) => ({ schema: 'proxylab/result' as const, version: 1 as const, run_id: id, started_at: '', finished_at: '', env, scenarios: [s] });
  const [pooledDirect, pooledOpt] = baselinesFromResults([result(fast, 'r1'), result(slow, 'r2')]);

  it('tags rounds with their run, renumbers them, and lists the runs', () => {
    expect(pooledOpt!.run_ids).toEqual(['r1', 'r2']);
    expect(pooledOpt!.rounds.map((r) => [r.round, r.run])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((n) => [n, n <= 6 ? 1 : 2]));
    expect(pooledOpt!.ratios.map((r) => r.run)).toEqual([1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2]);
    expect(pooledOpt!.summary.rps!.n).toBe(12);
  });

  it('measures run drift as the farthest run median from the pooled median', () => {
    expect(runDrift([{ run: 1, value: 100 }, { run: 1, value: 102 }, { run: 2, value: 130 }, { run: 2, value: 128 }])).toBeCloseTo(0.126, 2);
    expect(runDrift([{ value: 100 }, { value: 130 }])).toBe(0);
  });

  it('a current run as slow as the slower baseline run is no regression; far beyond it still is', () => {
    const same = scenario(rounds(10000, 100), rounds(3850, 260, 65));
    const c = compareTarget(env, same, same.targets[1]!, pooledOpt!, undefined, pooledDirect);
    expect(c.regressions).toEqual([]);
    expect(c.rows.find((r) => r.metric === 'cpu_us_per_req')!.runDrift).toBeGreaterThan(0.1);
    expect(c.notes.join(' ')).toContain('pools 2 separate runs');

    const worse = scenario(rounds(10000, 100), rounds(2000, 500, 130));
    const w = compareTarget(env, worse, worse.targets[1]!, pooledOpt!, undefined, pooledDirect);
    expect(w.regressions.map((r) => r.metric).sort()).toEqual(['cpu_us_per_req', 'p50_us', 'p99_us', 'rps']);
  });
});
