// The gate after a run: compare every target with its saved baseline (when one exists), evaluate the
// scenario budgets, write junit.xml and gate.md next to result.json, append the Markdown to report.md
// and to $GITHUB_STEP_SUMMARY when set, and fail (exit 1) on a regression or a breach.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT, LabError } from '../errors.js';
import type { RunResult } from '../result/schema.js';
import type { Scenario } from '../scenario/load.js';
import type { Baseline } from '../baseline/schema.js';
import { readScenarioBaselines } from '../baseline/store.js';
import { writeFileAtomic } from '../report/write.js';
import { evaluateBudgets } from './budgets.js';
import { compareTarget, DEFAULT_GATE, type GateSettings } from './compare.js';
import { gateJunit, gateMarkdown, gateTerminal, type GateSummary } from './format.js';

export class GateFailedError extends LabError {
  constructor(message: string) {
    super('GATE_FAILED', message, EXIT.regression);
  }
}

export type BaselineSet = Map<string, Map<string, Baseline>>;

/** Read (and validate) every scenario's baselines before the run starts: a bad file fails in ms. */
export function loadBaselines(dir: string, scenarios: readonly Scenario[]): BaselineSet {
  return new Map(scenarios.map((s) => [s.name, readScenarioBaselines(dir, s.name)]));
}

export function evaluateGate(result: RunResult, scenarios: readonly Scenario[], baselines: BaselineSet | undefined, settings: GateSettings = DEFAULT_GATE): GateSummary {
  const summary: GateSummary = { comparisons: [], budgets: [], missing: [], compared: baselines !== undefined };
  for (const scenario of result.scenarios) {
    const spec = scenarios.find((s) => s.name === scenario.name);
    if (baselines) {
      const saved = baselines.get(scenario.name) ?? new Map<string, Baseline>();
      for (const target of scenario.targets) {
        const baseline = saved.get(target.name);
        if (baseline) summary.comparisons.push(compareTarget(result.env, scenario, target, baseline, settings, saved.get('direct')));
        else summary.missing.push(`${scenario.name}/${target.name}`);
      }
    }
    if (spec) summary.budgets.push(...evaluateBudgets(scenario, spec.budgets));
  }
  return summary;
}

/** Write the CI outputs and print the verdicts; throws GateFailedError (exit 1) when the gate fails. */
export async function publishGate(summary: GateSummary, runDir: string): Promise<void> {
  const markdown = gateMarkdown(summary);
  await writeFileAtomic(join(runDir, 'gate.md'), markdown);
  await writeFileAtomic(join(runDir, 'junit.xml'), gateJunit(summary));
  const report = join(runDir, 'report.md');
  if (existsSync(report)) await writeFileAtomic(report, `${readFileSync(report, 'utf8').trimEnd()}\n\n${markdown}`);
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${markdown}\n`);
  process.stdout.write(`\n${gateTerminal(summary)}${join(runDir, 'gate.md')}\n${join(runDir, 'junit.xml')}\n`);

  const regressions = summary.comparisons.flatMap((c) => c.regressions.map((r) => `${c.scenario}/${c.target} ${r.metric} ${(r.result.change * 100).toFixed(1)}% worse (p ${r.result.pValue.toPrecision(2)})`));
  const breaches = summary.budgets.filter((b) => !b.pass).map((b) => `${b.scenario}/${b.target} budget breach: ${b.message}`);
  if (regressions.length + breaches.length > 0) {
    throw new GateFailedError([...regressions.map((r) => `regression: ${r}`), ...breaches].join('; '));
  }
}
