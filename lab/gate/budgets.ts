// Evaluate the scenario's budgets against the run. The observed value is the median over rounds
// (one disturbed round should not decide), except for counts (errors, non2xx, timeouts), which are
// summed: "errors == 0" means no error in any round. Overhead budgets use the median of the
// same-round ratios against direct.
import { median } from 'simple-statistics';
import type { ScenarioResult } from '../result/schema.js';
import { budgetHolds, type Budget, type Unit } from '../scenario/budget.js';
import { roundRatios } from '../stats/ratios.js';

export interface BudgetOutcome {
  scenario: string;
  target: string;
  budget: Budget;
  observed: number | undefined;
  pass: boolean;
  /** "p99 = 6.2 ms, limit < 5 ms" */
  message: string;
}

const COUNTS = new Set(['errors', 'non2xx', 'timeouts']);

export function evaluateBudgets(scenario: ScenarioResult, budgets: Record<string, Budget[]>): BudgetOutcome[] {
  const direct = scenario.targets.find((t) => t.kind === 'direct');
  const out: BudgetOutcome[] = [];
  for (const [targetName, list] of Object.entries(budgets)) {
    const target = scenario.targets.find((t) => t.name === targetName);
    for (const budget of list) {
      let observed: number | undefined;
      if (target && budget.subject.kind === 'metric') {
        const key = budget.subject.key;
        const values = target.rounds.map((r) => r.metrics[key]).filter((v): v is number => v !== undefined && Number.isFinite(v));
        if (values.length > 0) observed = COUNTS.has(key) ? values.reduce((a, b) => a + b, 0) : median(values);
      } else if (target && direct && budget.subject.kind === 'overhead') {
        const key = `${budget.subject.key}_ratio` as const;
        const ratios = roundRatios(target.rounds, direct.rounds).map((r) => r[key]);
        if (ratios.length > 0) observed = median(ratios);
      }
      // A budget on a metric this target cannot report (e.g. allocation for nginx) fails: a gate that
      // silently passes on missing data is worse than none.
      const pass = observed !== undefined && budgetHolds(budget.op, observed, budget.limit);
      const seen = observed === undefined ? 'not measured' : formatValue(observed, budget.unit);
      out.push({
        scenario: scenario.name,
        target: targetName,
        budget,
        observed,
        pass,
        message: `${budget.name} = ${seen}, limit ${budget.op} ${formatValue(budget.limit, budget.unit)}`,
      });
    }
  }
  return out;
}

export function formatValue(v: number, unit: Unit): string {
  switch (unit) {
    case 'us':
      return v >= 1_000_000 ? `${(v / 1e6).toFixed(3)} s` : v >= 1000 ? `${(v / 1000).toFixed(3)} ms` : `${round(v)} µs`;
    case 'bytes':
      return v >= 1024 * 1024 ? `${(v / 1024 / 1024).toFixed(2)} MiB` : v >= 1024 ? `${(v / 1024).toFixed(2)} KiB` : `${round(v)} B`;
    case 'ratio':
      return `${v.toFixed(3)}x`;
    case 'rps':
      return `${Math.round(v).toLocaleString('en-US')} rps`;
    default:
      return `${round(v)}`;
  }
}

function round(v: number): string {
  return String(Math.round(v * 1000) / 1000);
}
