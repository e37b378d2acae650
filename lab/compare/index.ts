// `proxylab compare`: measure two targets of a scenario interleaved (A B, B A, …) and judge B
// against A per metric. Writes result.json, report.md/html (the ordinary run report), compare.json,
// compare.md and compare.html into the run folder.
import { join } from 'node:path';
import { loadScenario } from '../scenario/load.js';
import { writeFileAtomic } from '../report/write.js';
import { writeJsonAtomic } from '../run/write.js';
import { measureTargets } from './measure.js';
import { compareNotes, describeTarget, textTable, verdictTable, COMPARE_VERSION, type CompareOutcome } from './model.js';
import { headline, renderCompareHtml, renderCompareMarkdown } from './render.js';
import { renamed, resolveTargetSpec, slug } from './targets.js';
import { ALPHA, THRESHOLD, compareTargets, smallestPValue } from './verdicts.js';

/**
 * Rounds per target unless --rounds says otherwise (or the scenario asks for more). The verdict
 * rests on an exact two-sided Mann-Whitney test over per-round values: with 3 rounds against 3 its
 * smallest p is 0.1, so nothing could ever be significant at 0.05. With 6 against 6 the smallest p is
 * 0.002, and a clear difference stays significant (p < 0.05) even when up to 5 of the 36 A/B pairs
 * are out of order, i.e. a noisy round or two on a shared machine do not hide it.
 */
export const DEFAULT_COMPARE_ROUNDS = 6;

export interface CompareOptions {
  scenario: string;
  a: string;
  b: string;
  rounds?: number;
  duration?: number;
  out?: string;
  /** significance level of the two-sided test (default 0.05) */
  alpha?: number;
}

export async function runCompare(opts: CompareOptions): Promise<{ dir: string; outcome: CompareOutcome }> {
  const scenario = loadScenario(opts.scenario, opts.duration ? { duration_s: opts.duration } : {});
  // Resolve both specs before any process starts: a typo fails in milliseconds with exit 2.
  const targetA = resolveTargetSpec(opts.a, scenario, '--a');
  const targetB = resolveTargetSpec(opts.b, scenario, '--b');
  // A and B get distinct names even when they are the same target (an A/A run).
  const a = renamed(targetA, `a-${slug(targetA.name)}`);
  const b = renamed(targetB, `b-${slug(targetB.name)}`);
  const rounds = opts.rounds ?? Math.max(scenario.rounds, DEFAULT_COMPARE_ROUNDS);
  const alpha = opts.alpha ?? ALPHA;

  const { dir, result, scenario: measured } = await measureTargets(scenario, [a, b], { rounds, out: opts.out, command: 'compare' });
  const ra = measured.targets.find((t) => t.name === a.name)!;
  const rb = measured.targets.find((t) => t.name === b.name)!;
  const smallestP = smallestPValue(ra.rounds.length, rb.rounds.length);
  const metrics = compareTargets(ra, rb, alpha);
  const outcome: CompareOutcome = {
    schema: 'proxylab/compare',
    version: COMPARE_VERSION,
    run_id: result.run_id,
    scenario: { name: scenario.name, file: scenario.file },
    rounds,
    duration_s: scenario.load.duration_s,
    alpha,
    threshold: THRESHOLD,
    smallest_p: smallestP,
    a: { spec: opts.a, name: a.name, description: describeTarget(a) },
    b: { spec: opts.b, name: b.name, description: describeTarget(b) },
    metrics,
    notes: compareNotes(result, ra, rb, metrics, smallestP, alpha),
  };
  writeJsonAtomic(join(dir, 'compare.json'), outcome);
  await writeFileAtomic(join(dir, 'compare.md'), renderCompareMarkdown(outcome, result));
  await writeFileAtomic(join(dir, 'compare.html'), renderCompareHtml(outcome, result));

  const t = verdictTable(outcome);
  process.stdout.write(`\n${scenario.name}: B = ${opts.b} against A = ${opts.a}, ${rounds} rounds × ${scenario.load.duration_s} s (medians)\n`);
  process.stdout.write(`${textTable(t.headers, t.rows)}\n${headline(outcome)}\n`);
  for (const note of outcome.notes) process.stdout.write(`note: ${note}\n`);
  process.stdout.write(`\n${join(dir, 'compare.html')}\n`);
  return { dir, outcome };
}
