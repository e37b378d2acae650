// What each flag buys and costs, from one ablation run: per flag and metric, baseline+flag judged
// against baseline ("alone") and optimized−flag judged against optimized ("without"), and a reading
// of the two together — a flag that does nothing alone but hurts when removed only works in
// combination with the others (streaming needs pooling to stream anything), and one that helps
// alone but is not missed is covered by the others.
import type { MetricKey, ScenarioResult, TargetResult } from '../result/schema.js';
import { formatBytes, formatMs, formatSmall, formatCount } from '../report/format.js';
import { compareMetric, driftNote, type MetricDef } from '../compare/verdicts.js';
import { pairedEvidence, type PairedEvidence } from '../compare/paired.js';
import type { MetricComparison } from '../stats/compare.js';
import { BASELINE, OPTIMIZED, type FlagPair } from './plan.js';

export const ABLATE_METRICS: MetricDef[] = [
  { key: 'rps', label: 'rps', format: formatCount },
  { key: 'p99_us', label: 'p99 ms', format: formatMs },
  { key: 'cpu_us_per_req', label: 'CPU µs/req', format: formatSmall },
  { key: 'alloc_bytes_per_req', label: 'alloc/req', format: formatBytes },
];

/** How a flag's two effects on one metric read together. */
export type Pattern =
  | 'alone-and-in-set' // helps alone, and is missed when removed
  | 'only-in-combination' // no detectable effect alone, missed when removed
  | 'covered-by-others' // helps alone, not missed when removed
  | 'hurts' // makes things worse alone, or the set is better without it
  | 'none'; // no detectable effect either way

// Observations, not diagnoses: "not detected alone" may be "only pays in combination" or "too small
// for these rounds"; the legend says so.
export const PATTERN_TEXT: Record<Pattern, string> = {
  'alone-and-in-set': 'helps alone and is missed in the set',
  'only-in-combination': 'missed in the set, not detected alone',
  'covered-by-others': 'helps alone, not missed in the set',
  hurts: 'hurts',
  none: 'no detectable effect',
};

export interface Effect {
  key: MetricKey;
  alone?: MetricComparison;
  without?: MetricComparison;
  /** round-by-round evidence for the two comparisons (see lab/compare/paired.ts) */
  alonePaired?: PairedEvidence;
  withoutPaired?: PairedEvidence;
  pattern: Pattern;
}

export interface FlagAblation extends FlagPair {
  effects: Effect[];
}

export function pattern(alone: MetricComparison | undefined, without: MetricComparison | undefined): Pattern {
  const helpsAlone = alone?.verdict === 'better';
  const missed = without?.verdict === 'worse';
  if (alone?.verdict === 'worse' || without?.verdict === 'better') return 'hurts';
  if (helpsAlone && missed) return 'alone-and-in-set';
  if (missed) return 'only-in-combination';
  if (helpsAlone) return 'covered-by-others';
  return 'none';
}

function target(s: ScenarioResult, name: string): TargetResult {
  const t = s.targets.find((x) => x.name === name);
  if (!t) throw new Error(`ablation result has no target ${name}`);
  return t;
}

export function analyzeAblation(s: ScenarioResult, pairs: FlagPair[]): { flags: FlagAblation[]; all: Effect[] } {
  const base = target(s, BASELINE);
  const opt = target(s, OPTIMIZED);
  const flags = pairs.map((pair) => {
    const alone = target(s, pair.alone);
    const without = target(s, pair.without);
    const effects = ABLATE_METRICS.map((m) => {
      const a = compareMetric(base, alone, m.key);
      const w = compareMetric(opt, without, m.key);
      const ap = pairedEvidence(base, alone, m.key);
      const wp = pairedEvidence(opt, without, m.key);
      return {
        key: m.key,
        ...(a ? { alone: a } : {}),
        ...(w ? { without: w } : {}),
        ...(ap ? { alonePaired: ap } : {}),
        ...(wp ? { withoutPaired: wp } : {}),
        pattern: pattern(a, w),
      };
    });
    return { ...pair, effects };
  });
  // Every flag at once, for scale: optimized judged against baseline.
  const all = ABLATE_METRICS.map((m) => {
    const c = compareMetric(base, opt, m.key);
    return { key: m.key, ...(c ? { alone: c } : {}), pattern: (c?.verdict === 'better' ? 'alone-and-in-set' : c?.verdict === 'worse' ? 'hurts' : 'none') as Pattern };
  });
  return { flags, all };
}

/** "rps, CPU µs/req: missed in the set, not detected alone; p99 ms: no detectable effect". */
export function readEffects(effects: Effect[]): string {
  const groups = new Map<Pattern, string[]>();
  for (const e of effects) {
    const label = ABLATE_METRICS.find((m) => m.key === e.key)!.label;
    groups.set(e.pattern, [...(groups.get(e.pattern) ?? []), label]);
  }
  if (groups.size === 1) return PATTERN_TEXT[[...groups.keys()][0]!];
  return [...groups.entries()].map(([p, labels]) => `${labels.join(', ')}: ${PATTERN_TEXT[p]}`).join('; ');
}

/** Comparisons whose rounds, pair by pair, favour a difference that the verdict could not see (drift). */
export function driftNotes(flags: FlagAblation[], alpha: number): string[] {
  const notes: string[] = [];
  for (const f of flags) {
    for (const e of f.effects) {
      const label = ABLATE_METRICS.find((m) => m.key === e.key)!.label;
      for (const [side, c, paired, who] of [['alone', e.alone, e.alonePaired, f.alone], ['without', e.without, e.withoutPaired, f.without]] as const) {
        if (!c || !paired) continue;
        const note = driftNote({ ...c, key: e.key, label: `${f.flag} ${side}, ${label}`, higherIsBetter: true, paired }, alpha, who);
        if (note) notes.push(note.replace(/, but the machine's speed.*$/, ''));
      }
    }
  }
  return notes;
}
