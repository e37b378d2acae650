// Compare a micro run with its baselines. Each mean comes with tinybench's relative margin of error
// (95 %), which gives an interval around it. A change is flagged only when the two intervals do not
// overlap AND the means differ by more than MIN_CHANGE: noise alone, or a real but tiny shift, is
// "same".
//
// Seam: `Comparator` is the one decision function. This interval rule is a stand-in; the lab's
// statistics (lab/stats/, issue 4) can supply a proper two-sample test with the same signature.
import type { MicroBaseline } from './store.js';
import type { MicroSuiteResult } from './run.js';

export const MIN_CHANGE = 0.05;

export type Verdict = 'regression' | 'improvement' | 'same' | 'new';

export interface Measured {
  mean_ns: number;
  rme_pct: number;
}

export type Comparator = (baseline: Measured, current: Measured) => Exclude<Verdict, 'new'>;

// Multiplicative bounds, mean / (1 + rme) .. mean × (1 + rme): the same as mean × (1 ± rme) for a
// small rme, but a noisy sample (rme near or above 100 % on a loaded machine) keeps a positive lower
// bound instead of one at or below zero that would overlap everything.
export const intervalComparator: Comparator = (baseline, current) => {
  const lo = (m: Measured) => m.mean_ns / (1 + m.rme_pct / 100);
  const hi = (m: Measured) => m.mean_ns * (1 + m.rme_pct / 100);
  const change = current.mean_ns / baseline.mean_ns - 1;
  if (lo(current) > hi(baseline) && change > MIN_CHANGE) return 'regression';
  if (hi(current) < lo(baseline) && -change > MIN_CHANGE) return 'improvement';
  return 'same';
};

export interface TaskComparison {
  suite: string;
  case: string;
  impl: string;
  verdict: Verdict;
  baseline_mean_ns?: number;
  current_mean_ns: number;
  /** current mean time over the baseline's (> 1: slower) */
  time_ratio?: number;
}

export function compareSuite(current: MicroSuiteResult, baseline: MicroBaseline, comparator: Comparator = intervalComparator): TaskComparison[] {
  return current.tasks.map((task) => {
    const base = baseline.tasks.find((b) => b.case === task.case && b.impl === task.impl);
    if (!base) return { suite: current.name, case: task.case, impl: task.impl, verdict: 'new', current_mean_ns: task.mean_ns };
    return {
      suite: current.name,
      case: task.case,
      impl: task.impl,
      verdict: comparator(base, task),
      baseline_mean_ns: base.mean_ns,
      current_mean_ns: task.mean_ns,
      time_ratio: Math.round((task.mean_ns / base.mean_ns) * 1000) / 1000,
    };
  });
}
