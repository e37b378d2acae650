// Turn runs' results into baseline files: one per scenario × target, with the per-round samples.
// Several runs of the same scenarios pool into one baseline, rounds renumbered and tagged with their
// run, so the gate can see how far whole runs drift apart (see lab/gate/compare.ts).
import type { RoundResult, RunResult } from '../result/schema.js';
import { roundRatios } from '../stats/ratios.js';
import { summarizeRounds } from '../stats/summary.js';
import { fingerprint } from './fingerprint.js';
import { BASELINE_VERSION, type Baseline } from './schema.js';

export function baselinesFromResult(result: RunResult, savedAt = new Date()): Baseline[] {
  return baselinesFromResults([result], savedAt);
}

export function baselinesFromResults(results: readonly RunResult[], savedAt = new Date()): Baseline[] {
  const [first] = results;
  if (!first) return [];
  const pooled = results.length > 1;
  return first.scenarios.flatMap((scenario) =>
    scenario.targets.map((t): Baseline => {
      const rounds: Baseline['rounds'] = [];
      const ratios: Baseline['ratios'] = [];
      const all: RoundResult[] = [];
      results.forEach((result, i) => {
        const s = result.scenarios.find((x) => x.name === scenario.name);
        const target = s?.targets.find((x) => x.name === t.name);
        if (!s || !target) return;
        const direct = s.targets.find((x) => x.kind === 'direct');
        const offset = all.length;
        const run = pooled ? { run: i + 1 } : {};
        for (const r of target.rounds) {
          rounds.push({ round: offset + r.round, ...run, requests: r.requests, metrics: r.metrics, latency_us: r.latency_us });
          all.push({ ...r, round: offset + r.round });
        }
        if (direct && target.kind !== 'direct') {
          for (const ratio of roundRatios(target.rounds, direct.rounds)) ratios.push({ ...ratio, round: offset + ratio.round, ...run });
        }
      });
      return {
        schema: 'proxylab/baseline',
        version: BASELINE_VERSION,
        scenario: scenario.name,
        target: t.name,
        kind: t.kind,
        ...(t.flags ? { flags: t.flags } : {}),
        saved_at: savedAt.toISOString(),
        run_id: first.run_id,
        ...(pooled ? { run_ids: results.map((r) => r.run_id) } : {}),
        git_commit: first.env.git_commit,
        fingerprint: fingerprint(first.env, scenario),
        rounds,
        ratios,
        summary: pooled ? summarizeRounds(all) : t.summary,
      };
    }),
  );
}
