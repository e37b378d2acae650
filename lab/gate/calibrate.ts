// A/A calibration: one target run twice, interleaved round by round (A B A B …), compared with the
// same statistics as the gate. Whatever differs between A and B is noise, so this measures the
// noise floor per metric on this machine and the minimum detectable effect for these rounds and
// this duration. A verdict here is a false alarm.
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { HIGHER_IS_BETTER, METRIC_KEYS, type MetricKey, type ScenarioResult } from '../result/schema.js';
import type { Scenario, Target } from '../scenario/load.js';
import { runScenario } from '../run/scenario.js';
import type { Progress } from '../run/progress.js';
import { compareSamples, minimumDetectableEffect, relativeNoise, type MetricComparison } from '../stats/compare.js';
import { DEFAULT_GATE, GATED_METRICS, fmtP } from './compare.js';

export interface CalibrationRow {
  metric: MetricKey;
  gated: boolean;
  /** pooled relative round-to-round spread (robust CV) of A and B */
  noise: number;
  result: MetricComparison;
  /** smallest relative change the gate can call with these rounds (max of threshold and MDE) */
  mde: number;
}

export interface Calibration {
  scenario: string;
  target: string;
  rounds: number;
  duration_s: number;
  alphaPerMetric: number;
  threshold: number;
  rows: CalibrationRow[];
  falseAlarms: string[];
}

/** The scenario reduced to one target measured twice under two names; no direct. */
export function aaScenario(scenario: Scenario, targetName: string | undefined): { scenario: Scenario; target: Target } {
  const target = targetName === undefined ? scenario.targets[0] : scenario.targets.find((t) => t.name === targetName);
  if (!target) {
    const have = scenario.targets.map((t) => t.name).join(', ') || 'none';
    throw new UsageError('CALIBRATE_TARGET', `${scenario.file}: targets: ${targetName === undefined ? 'the scenario has no target to calibrate' : `no target "${targetName}"`} (have: ${have}; direct cannot be run twice)`);
  }
  return {
    target,
    scenario: { ...scenario, direct: false, budgets: {}, targets: [{ ...target, name: `${target.name}-a` }, { ...target, name: `${target.name}-b` }] },
  };
}

export async function calibrate(scenario: Scenario, targetName: string | undefined, runDir: string, progress: Progress): Promise<{ calibration: Calibration; result: ScenarioResult }> {
  const { scenario: aa, target } = aaScenario(scenario, targetName);
  const result = await runScenario(aa, runDir, progress);
  const [a, b] = result.targets;
  const alpha = DEFAULT_GATE.alpha / GATED_METRICS.length;
  const threshold = DEFAULT_GATE.threshold;
  const rows: CalibrationRow[] = [];
  for (const key of METRIC_KEYS) {
    const xa = a!.rounds.map((r) => r.metrics[key]).filter((v): v is number => v !== undefined && Number.isFinite(v));
    const xb = b!.rounds.map((r) => r.metrics[key]).filter((v): v is number => v !== undefined && Number.isFinite(v));
    if (xa.length === 0 || xb.length === 0) continue;
    const noise = Math.hypot(relativeNoise(xa), relativeNoise(xb)) / Math.SQRT2;
    const res = compareSamples(xa, xb, { higherIsBetter: HIGHER_IS_BETTER[key], alpha, threshold });
    rows.push({
      metric: key,
      gated: (GATED_METRICS as readonly string[]).includes(key),
      noise,
      result: res,
      mde: Math.max(threshold, minimumDetectableEffect(noise, Math.min(xa.length, xb.length), alpha)),
    });
  }
  return {
    result,
    calibration: {
      scenario: scenario.name,
      target: target.name,
      rounds: aa.rounds,
      duration_s: aa.load.duration_s,
      alphaPerMetric: alpha,
      threshold,
      rows,
      falseAlarms: rows.filter((r) => r.gated && r.result.verdict !== 'no-difference').map((r) => r.metric),
    },
  };
}

const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '∞');
const signed = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%` : 'n/a');

export function calibrationMarkdown(c: Calibration): string {
  return [
    `## A/A calibration: ${c.scenario} / ${c.target}, ${c.rounds} rounds × ${c.duration_s} s: ${c.falseAlarms.length === 0 ? 'no change' : `FALSE ALARM on ${c.falseAlarms.join(', ')}`}`,
    '',
    `Noise floor = robust round-to-round spread (1.4826·MAD/median) pooled over A and B. MDE = smallest change the gate can call with ${c.rounds} rounds a side ` +
      `(80% power, α ${fmtP(c.alphaPerMetric)} per gated metric, never below the ${pct(c.threshold)} threshold).`,
    '',
    '| metric | gated | A median | B median | A/A change | p | noise floor | MDE | verdict |',
    '|---|---|--:|--:|--:|--:|--:|--:|---|',
    ...c.rows.map((r) =>
      `| ${r.metric} | ${r.gated ? 'yes' : ''} | ${round(r.result.baselineMedian)} | ${round(r.result.currentMedian)} | ${signed(r.result.change)} | ${fmtP(r.result.pValue)} | ` +
        `${pct(r.noise)} | ${pct(r.mde)} | ${r.result.verdict === 'no-difference' ? 'no change' : `${r.result.verdict}${r.gated ? ' (false alarm)' : ' (not gated)'}`} |`,
    ),
    '',
  ].join('\n');
}

function round(v: number): string {
  return String(Math.round(v * 100) / 100);
}

export function calibrationDir(root: string, id: string): string {
  return join(root, 'reports', `calibrate-${id}`);
}
