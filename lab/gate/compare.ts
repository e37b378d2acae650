// Current run vs saved baseline, per target and metric, with the evidence for every verdict.
//
// - Same machine and settings (fingerprint): absolute per-round metrics are compared.
// - Different machine, Node or driver settings: absolute times mean nothing across machines, so only
//   the same-run ratios against `direct` (rps, p50, p99) are compared, and the report says so.
// - Same machine but a different state: on a shared machine the neighbours' load comes and goes, and
//   it moves the direct floor as much as the target. When the floor itself (direct rps or p50) has
//   moved significantly and beyond the threshold since the baseline, absolute numbers would blame the
//   proxy for the machine, so the ratios are compared instead, and the report says so.
// - Every metric is shown; only GATED metrics can fail the run. Testing many metrics at alpha 0.05
//   each would fail an A/A run most of the time, so the gate splits alpha over the gated metrics
//   (Bonferroni), and a verdict also needs the change to exceed the threshold (default 5%).
// - Rounds of one run are not independent samples of the machine: they share its state of the moment
//   (here a whole run's CPU per request moved 87 → 127 µs between two runs of the same code minutes
//   apart, with tight rounds inside each). A baseline that pools separate runs shows that drift: per
//   metric, the farthest a run's median strays from the pooled median is added to the threshold, so
//   a change must exceed what separate runs of the baseline already disagree by.
import { HIGHER_IS_BETTER, METRIC_KEYS, type Environment, type ScenarioResult, type TargetResult } from '../result/schema.js';
import type { Baseline } from '../baseline/schema.js';
import { fingerprint, fingerprintDifferences } from '../baseline/fingerprint.js';
import { compareSamples, minimumDetectableEffect, relativeNoise, smallestExactP, DEFAULT_ALPHA, DEFAULT_THRESHOLD, type MetricComparison } from '../stats/compare.js';
import { RATIO_HIGHER_IS_BETTER, RATIO_KEYS, roundRatios } from '../stats/ratios.js';
import { median } from 'simple-statistics';

/** The metrics that can fail a run in absolute mode: throughput, typical and tail latency, CPU cost. */
export const GATED_METRICS = ['rps', 'p50_us', 'p99_us', 'cpu_us_per_req'] as const;

export interface GateSettings {
  alpha: number; // family-wise, split over the gated metrics
  threshold: number;
}
export const DEFAULT_GATE: GateSettings = { alpha: DEFAULT_ALPHA, threshold: DEFAULT_THRESHOLD };

export interface MetricRow {
  metric: string;
  gated: boolean;
  higherIsBetter: boolean;
  result: MetricComparison;
  /** smallest relative change this comparison can call (max of threshold and the statistical MDE) */
  mde: number;
  /** farthest relative distance of one baseline run's median from the pooled median (pooled baselines only) */
  runDrift?: number;
}

export interface TargetComparison {
  scenario: string;
  target: string;
  mode: 'absolute' | 'ratio';
  /** why the mode is ratio (fingerprint differences), or notes on the evidence */
  notes: string[];
  alphaPerMetric: number;
  rows: MetricRow[];
  regressions: MetricRow[];
}

export function compareTarget(
  env: Environment,
  scenario: ScenarioResult,
  target: TargetResult,
  baseline: Baseline,
  settings: GateSettings = DEFAULT_GATE,
  directBaseline?: Baseline,
): TargetComparison {
  const diffs = fingerprintDifferences(baseline.fingerprint, fingerprint(env, scenario));
  const notes: string[] = [];
  const direct = scenario.targets.find((t) => t.kind === 'direct');
  let mode: 'absolute' | 'ratio' = 'absolute';
  let sameMachine = true;
  if (diffs.length > 0) {
    sameMachine = false;
    mode = 'ratio';
    notes.push(`baseline from a different machine or settings (${diffs.join('; ')}): comparing same-run overhead ratios against direct, not absolute numbers`);
  } else if (target.kind !== 'direct' && direct && directBaseline && baseline.ratios.length > 0) {
    const moved = floorShift(directBaseline, direct, settings);
    if (moved) {
      mode = 'ratio';
      notes.push(`the direct floor moved since the baseline (${moved}): the machine is busier or quieter than it was, so same-run overhead ratios against direct are compared, not absolute times; ` +
        'CPU µs per request stays absolute (measured in the target process, which is the same machine)');
    }
  }
  const series: Array<{ metric: string; gated: boolean; higherIsBetter: boolean; base: number[]; cur: number[]; drift: number }> = [];
  if (mode === 'absolute') {
    for (const key of METRIC_KEYS) {
      const base = baseline.rounds.map((r) => r.metrics[key]).filter(isNum);
      const cur = target.rounds.map((r) => r.metrics[key]).filter(isNum);
      if (base.length === 0 || cur.length === 0) continue;
      const drift = runDrift(baseline.rounds.map((r) => ({ run: r.run, value: r.metrics[key] })));
      series.push({ metric: key, gated: target.kind !== 'direct' && (GATED_METRICS as readonly string[]).includes(key), higherIsBetter: HIGHER_IS_BETTER[key], base, cur, drift });
    }
  } else if (target.kind === 'direct' || !direct || baseline.ratios.length === 0) {
    notes.push('no same-run ratios to compare (direct itself, or no direct measured): nothing gated');
  } else {
    const cur = roundRatios(target.rounds, direct.rounds);
    for (const key of RATIO_KEYS) {
      const drift = runDrift(baseline.ratios.map((r) => ({ run: r.run, value: r[key] })));
      series.push({ metric: `overhead.${key}`, gated: true, higherIsBetter: RATIO_HIGHER_IS_BETTER[key], base: baseline.ratios.map((r) => r[key]), cur: cur.map((r) => r[key]), drift });
    }
    // The per-request CPU cost is the target's own and moves little with the neighbours' load (it
    // caught a 50 µs burn here while the ratios swung with the floor); it is kept on the same machine.
    const base = baseline.rounds.map((r) => r.metrics.cpu_us_per_req).filter(isNum);
    const now = target.rounds.map((r) => r.metrics.cpu_us_per_req).filter(isNum);
    if (sameMachine && base.length > 0 && now.length > 0) {
      const drift = runDrift(baseline.rounds.map((r) => ({ run: r.run, value: r.metrics.cpu_us_per_req })));
      series.push({ metric: 'cpu_us_per_req', gated: true, higherIsBetter: false, base, cur: now, drift });
    }
  }
  const gatedCount = Math.max(1, series.filter((s) => s.gated).length);
  const alphaPerMetric = settings.alpha / gatedCount;
  const rows = series.map((s): MetricRow => {
    const threshold = settings.threshold + s.drift;
    const result = compareSamples(s.base, s.cur, { higherIsBetter: s.higherIsBetter, alpha: alphaPerMetric, threshold });
    const noise = Math.hypot(relativeNoise(s.base), relativeNoise(s.cur)) / Math.SQRT2;
    const mde = Math.max(threshold, minimumDetectableEffect(noise, Math.min(s.base.length, s.cur.length), alphaPerMetric));
    return { metric: s.metric, gated: s.gated, higherIsBetter: s.higherIsBetter, result, mde, ...(s.drift > 0 ? { runDrift: s.drift } : {}) };
  });
  const runs = new Set(baseline.rounds.map((r) => r.run ?? 1)).size;
  if (runs > 1) {
    notes.push(`baseline pools ${runs} separate runs: each metric's threshold is ${Math.round(settings.threshold * 100)}% plus how far those runs' medians already disagree (run drift)`);
  } else if (target.kind !== 'direct') {
    notes.push('baseline is a single run: run-to-run drift is unknown, so a verdict may be the machine, not the code (save with --runs 3)');
  }
  const n = Math.min(baseline.rounds.length, target.rounds.length);
  if (rows.some((r) => r.gated) && rows.filter((r) => r.gated).every((r) => r.mde === Infinity)) {
    notes.push(`${n} round(s) a side can never reach significance at α ${fmtP(alphaPerMetric)} per metric: use at least ${roundsNeeded(alphaPerMetric)} rounds a side for a verdict`);
  }
  return {
    scenario: scenario.name,
    target: target.name,
    mode,
    notes,
    alphaPerMetric,
    rows,
    regressions: rows.filter((r) => r.gated && r.result.verdict === 'worse'),
  };
}

/**
 * How far separate runs of the baseline disagree: the largest |run median / pooled median − 1| over
 * the runs the rounds came from. 0 for a single-run baseline (no evidence either way).
 */
export function runDrift(samples: ReadonlyArray<{ run?: number | undefined; value: number | undefined }>): number {
  const byRun = new Map<number, number[]>();
  for (const s of samples) {
    if (!isNum(s.value)) continue;
    const run = s.run ?? 1;
    byRun.set(run, [...(byRun.get(run) ?? []), s.value]);
  }
  if (byRun.size < 2) return 0;
  const pooled = median([...byRun.values()].flat());
  if (pooled === 0) return 0;
  return Math.max(...[...byRun.values()].map((values) => Math.abs(median(values) / pooled - 1)));
}

/** How the no-proxy floor changed since the baseline, when it did significantly and beyond the threshold. */
function floorShift(base: Baseline, direct: TargetResult, settings: GateSettings): string | undefined {
  const moves: string[] = [];
  for (const key of ['rps', 'p50_us'] as const) {
    const b = base.rounds.map((r) => r.metrics[key]).filter(isNum);
    const c = direct.rounds.map((r) => r.metrics[key]).filter(isNum);
    if (b.length === 0 || c.length === 0) continue;
    const r = compareSamples(b, c, { higherIsBetter: HIGHER_IS_BETTER[key], alpha: settings.alpha, threshold: settings.threshold });
    if (r.verdict !== 'no-difference') moves.push(`direct ${key} ${r.change >= 0 ? '+' : ''}${(r.change * 100).toFixed(1)}%, p ${fmtP(r.pValue)}`);
  }
  return moves.length > 0 ? moves.join(', ') : undefined;
}

/** Fewest rounds a side at which the exact test can reach alpha at all. */
function roundsNeeded(alpha: number): number {
  let n = 1;
  while (smallestExactP(n) >= alpha && n < 100) n++;
  return n;
}

function isNum(v: number | undefined): v is number {
  return v !== undefined && Number.isFinite(v);
}

export function fmtP(p: number): string {
  return p < 0.001 ? p.toExponential(1) : p.toFixed(p < 0.01 ? 4 : 3);
}
