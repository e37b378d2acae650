// `proxylab ablate`: baseline, optimized, and per flag baseline+flag and optimized−flag, all measured
// interleaved in one run; writes result.json, report.md/html, ablate.json, ablate.md and ablate.html.
import { join } from 'node:path';
import { loadScenario } from '../scenario/load.js';
import { writeFileAtomic } from '../report/write.js';
import { writeJsonAtomic } from '../run/write.js';
import { measureTargets } from '../compare/measure.js';
import { parseFlagList } from '../compare/targets.js';
import { ALPHA, THRESHOLD, detectableNote, formatP, smallestPValue } from '../compare/verdicts.js';
import { analyzeAblation, driftNotes } from './analyze.js';
import { planAblation } from './plan.js';
import { renderAblateHtml, renderAblateMarkdown, renderAblateText, type AblationOutcome } from './render.js';

/**
 * Rounds per target unless --rounds says otherwise; the same 6 as compare. The exact two-sided
 * Mann-Whitney verdict could decide from 4 against 4 (smallest p 0.029, and only with no overlap at
 * all) and leaves room for a noisy round or two from 5 (0.008); the round-paired signed-rank
 * evidence (paired.ts) needs 6 (smallest p 2/2^6 = 0.031; with 5 it is 0.0625 and says nothing).
 */
export const DEFAULT_ABLATE_ROUNDS = 6;

export interface AblateOptions {
  scenario: string;
  flags?: string;
  rounds?: number;
  duration?: number;
  out?: string;
}

export async function runAblate(opts: AblateOptions): Promise<{ dir: string; outcome: AblationOutcome }> {
  const scenario = loadScenario(opts.scenario, opts.duration ? { duration_s: opts.duration } : {});
  const flags = parseFlagList(opts.flags);
  const plan = planAblation(scenario, flags);
  const rounds = opts.rounds ?? Math.max(scenario.rounds, DEFAULT_ABLATE_ROUNDS);

  const { dir, result, scenario: measured } = await measureTargets(scenario, plan.targets, { rounds, out: opts.out, command: 'ablate' });
  const { flags: effects, all } = analyzeAblation(measured, plan.pairs);
  const smallestP = smallestPValue(rounds, rounds);
  const notes: string[] = [];
  if (smallestP >= ALPHA) notes.push(`with ${rounds} rounds a side the smallest possible p-value is ${formatP(smallestP)} ≥ alpha ${ALPHA}: no verdict can be reached; run more rounds`);
  notes.push(
    `${effects.length * 2 * 4} comparisons at alpha ${ALPHA}: a lone marginal verdict may be chance; trust patterns that agree across metrics`,
  );
  const base = measured.targets.find((t) => t.name === 'baseline')!;
  const opt = measured.targets.find((t) => t.name === 'optimized')!;
  if (all.find((e) => e.key === 'rps')?.alone?.verdict !== 'better') {
    notes.push(
      'optimized is not detectably faster than baseline (rps) in this run: either the scenario does not reward the optimizations in rps ' +
        '(a slow origin bounds it) or the rounds were too noisy; no single flag can be credited with rps here',
    );
  }
  // One note per comparison that the rounds, pair by pair, decide while the verdict could not.
  for (const note of driftNotes(effects, ALPHA)) notes.push(`drift: ${note}; the machine's speed drifted between rounds, so rerun before acting on it`);
  for (const [key, label] of [['rps', 'rps'], ['cpu_us_per_req', 'CPU µs/req']] as const) {
    const note = detectableNote(base, opt, key, label);
    if (note) notes.push(note);
  }
  for (const t of measured.targets) if (t.driver_saturated) notes.push(`${t.name}: the load driver was saturated in some rounds; rps may be the driver's limit`);
  if (result.env.cores <= 2) notes.push(`measured on ${result.env.cores} cores shared by the driver, origin and targets: absolute numbers are noisy, compare ratios`);

  const outcome: AblationOutcome = {
    schema: 'proxylab/ablate',
    version: 1,
    run_id: result.run_id,
    scenario: { name: scenario.name, file: scenario.file },
    rounds,
    duration_s: scenario.load.duration_s,
    alpha: ALPHA,
    threshold: THRESHOLD,
    smallest_p: smallestP,
    flags: effects,
    all,
    notes,
  };
  writeJsonAtomic(join(dir, 'ablate.json'), outcome);
  await writeFileAtomic(join(dir, 'ablate.md'), renderAblateMarkdown(outcome, result));
  await writeFileAtomic(join(dir, 'ablate.html'), renderAblateHtml(outcome, result));

  process.stdout.write(`\n${scenario.name}: ablation of ${flags.join(', ')}, ${rounds} rounds × ${scenario.load.duration_s} s per target (medians)\n`);
  process.stdout.write(renderAblateText(outcome));
  for (const note of notes) process.stdout.write(`note: ${note}\n`);
  process.stdout.write(`\n${join(dir, 'ablate.html')}\n`);
  return { dir, outcome };
}
