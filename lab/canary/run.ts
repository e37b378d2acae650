// `proxylab canary`: the origin and one proxy serving two variants with a live split; drive the
// scenario's load at each step's weight, compare the variants from the proxy's own /metrics, then
// promote to the next step or roll back. Ends with canary.json, report.md and report.html.
import { join, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { LabError, EXIT, RunFailedError } from '../errors.js';
import { expandMix, startLoad, type LoadResult } from '../load/index.js';
import { loadScenario, REPO_ROOT, type Scenario } from '../scenario/load.js';
import { Topology, CLI_PATH } from '../topology/topology.js';
import { ManagedProcess } from '../topology/process.js';
import { freePort } from '../topology/ports.js';
import { waitReady, describeExit } from '../topology/ready.js';
import { environment, runId } from '../run/env.js';
import { writeFileAtomic } from '../report/write.js';
import { getCanary, putWeight, scrape } from './admin.js';
import { combined, delta } from './prom.js';
import { judgeStep, sideStats, type SideStats } from './judge.js';
import type { CanaryPlan } from './options.js';
import { CANARY_RESULT_VERSION, type CanaryResult, type CanaryStep } from './result.js';
import { canaryMarkdown } from './markdown.js';
import { canaryHtml } from './html.js';

export interface CanaryOutcome {
  dir: string;
  result: CanaryResult;
  markdown: string;
  html: string;
}

export async function runCanary(plan: CanaryPlan, note: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<CanaryOutcome> {
  const scenario = loadScenario(plan.scenario, { duration_s: plan.step_s });
  const env = environment();
  const startedAt = new Date();
  const id = runId(startedAt, env.git_commit);
  const dir = resolve(plan.out ?? join(REPO_ROOT, 'reports', id));
  mkdirSync(dir, { recursive: true });
  const topology = new Topology(scenario, join(dir, scenario.name));
  let proxy: ManagedProcess | undefined;
  try {
    note(`proxylab canary ${id}: ${scenario.name}, primary ${plan.primary}, canary ${plan.canary}${plan.canaryFlags.map((f) => ` ${f}`).join('')}, steps ${plan.steps.join(',')}% × ${plan.step_s}s → ${dir}`);
    const originPort = await topology.startOrigin();
    const started = await startSplitProxy(plan, originPort, topology.dir);
    proxy = started.proc;
    const died = proxyDied(proxy);
    const failed = Promise.race([topology.failed, died]);
    const state = await getCanary(started.adminPort);
    if (!state.enabled || !state.variants) throw new RunFailedError('CANARY_NOT_ENABLED', 'the proxy started without a canary variant');
    const names = state.variants;

    const requests = expandMix(scenario.requests);
    const drive = (seconds: number) => driveLoad(scenario, started.port, requests, seconds, failed);
    if (scenario.load.warmup_s > 0) {
      note(`warm-up: ${scenario.load.warmup_s}s at weight 0`);
      await drive(scenario.load.warmup_s);
    }

    const t0 = Date.now();
    const measure = async (index: number, weight: number): Promise<{ step: CanaryStep; weightNow: number; rollback: string | undefined }> => {
      await putWeight(started.adminPort, weight);
      const before = await scrape(started.adminPort);
      const startedS = (Date.now() - t0) / 1000;
      const load = await drive(plan.step_s);
      const after = await scrape(started.adminPort);
      const now = await getCanary(started.adminPort);
      const d = delta(before, after);
      const r = now.last_rollback;
      const step: CanaryStep = {
        index,
        weight,
        started_s: round(startedS),
        duration_s: round(load.duration_s),
        verdict: 'pass',
        reasons: [],
        primary: sideStats(d.get(names.primary)),
        canary: sideStats(d.get(names.canary)),
        all: sideStats(combined(d.get(names.primary), d.get(names.canary))),
        client: { requests: load.requests, errors: load.errors, non2xx: load.non2xx, rps: round(load.requests / load.duration_s) },
      };
      return { step, weightNow: now.weight, rollback: r ? `${r.reason} ${r.value} > ${r.above}` : undefined };
    };

    // Step 0: the primary alone, the reference for the canary at 100 % and for collateral damage.
    const zero = (await measure(0, 0)).step;
    zero.verdict = 'reference';
    const timeline: CanaryStep[] = [zero];
    note(describeStep(zero, plan.steps.length));
    let ending: Pick<CanaryResult, 'outcome' | 'rolled_back_by' | 'reason'> = { outcome: 'promoted' };
    for (const [i, weight] of plan.steps.entries()) {
      const { step, weightNow, rollback } = await measure(i + 1, weight);
      if (weightNow === 0) {
        // The proxy's own guard rolled the canary back during the step.
        step.verdict = 'guard';
        step.reasons = [rollback ? `the proxy's guard rolled back: ${rollback}` : 'the canary weight was set to 0 by someone else'];
        ending = { outcome: 'rolled_back', rolled_back_by: 'guard', reason: step.reasons[0]! };
      } else {
        const reference = step.primary.requests >= plan.judge.min_samples ? step.primary : zero.primary;
        const verdict = judgeStep(step.primary, step.canary, reference, plan.judge, { all: step.all, weightZero: zero.primary });
        step.verdict = verdict.verdict;
        step.reasons = verdict.reasons;
        if (verdict.verdict === 'fail') {
          await putWeight(started.adminPort, 0);
          ending = { outcome: 'rolled_back', rolled_back_by: 'judge', reason: `step ${i + 1} (${weight}%): ${verdict.reasons.join('; ')}` };
        }
      }
      timeline.push(step);
      note(describeStep(step, plan.steps.length));
      if (ending.outcome === 'rolled_back') break;
    }

    const result: CanaryResult = {
      schema: 'proxylab/canary',
      version: CANARY_RESULT_VERSION,
      run_id: id,
      started_at: startedAt.toISOString(),
      finished_at: new Date().toISOString(),
      env,
      scenario: { name: scenario.name, file: scenario.file },
      variants: names,
      presets: { primary: plan.primary, canary: plan.canary, canary_flags: plan.canaryFlags },
      plan: { steps: plan.steps, step_s: plan.step_s },
      judge: plan.judge,
      ...ending,
      timeline,
    };
    const markdown = join(dir, 'report.md');
    const html = join(dir, 'report.html');
    await writeFileAtomic(join(dir, 'canary.json'), `${JSON.stringify(result, null, 2)}\n`);
    await writeFileAtomic(markdown, canaryMarkdown(result));
    await writeFileAtomic(html, canaryHtml(result));
    return { dir, result, markdown, html };
  } finally {
    await proxy?.stop();
    await topology.stop();
  }
}

/** Exit 1 when the canary was rolled back (by the judge or the proxy's guard). */
export function assertPromoted(outcome: CanaryOutcome): void {
  const r = outcome.result;
  if (r.outcome === 'rolled_back') {
    throw new LabError('CANARY_ROLLED_BACK', `canary ${r.variants.canary} rolled back by the ${r.rolled_back_by}: ${r.reason}`, EXIT.regression);
  }
}

async function startSplitProxy(plan: CanaryPlan, originPort: number, dir: string): Promise<{ proc: ManagedProcess; port: number; adminPort: number }> {
  const port = await freePort();
  const adminPort = await freePort();
  const args = [CLI_PATH, 'proxy', '--upstream', `http://127.0.0.1:${originPort}`, '--listen', `127.0.0.1:${port}`, '--admin-listen', `127.0.0.1:${adminPort}`,
    '--handler', plan.primary, '--canary', plan.canary, '--canary-weight', '0', ...plan.canaryFlags.flatMap((f) => ['--canary-flag', f]),
    ...(plan.config ? ['--config', resolve(plan.config), '--no-watch'] : [])];
  const proc = new ManagedProcess({
    name: 'proxy',
    command: process.execPath,
    args,
    logFile: join(dir, 'proxy.log'),
    // A --config file reaches the origin through ${ORIGIN_PORT}.
    env: { ...process.env, ORIGIN_PORT: String(originPort) },
  });
  await waitReady(proc, { http: { port: adminPort, path: '/ready' } }, 20_000);
  return { proc, port, adminPort };
}

/** Rejects when the proxy exits while it should be up (not when we stop it). */
function proxyDied(proc: ManagedProcess): Promise<never> {
  const died = new Promise<never>((_resolve, reject) => {
    void proc.exited.then(() => {
      if (!proc.stopping) reject(new RunFailedError('TARGET_DIED', `the proxy died during the canary (${describeExit(proc)}); log ${proc.logFile}:\n${proc.logTail()}`));
    });
  });
  died.catch(() => {}); // observed through races; never unhandled
  return died;
}

async function driveLoad(scenario: Scenario, port: number, requests: ReturnType<typeof expandMix>, seconds: number, failed: Promise<never>): Promise<LoadResult> {
  const load = scenario.load;
  const run = startLoad(load.driver, {
    port,
    requests,
    connections: load.connections,
    pipelining: load.pipelining,
    duration_s: seconds,
    timeout_s: load.timeout_s,
    ...(load.rate === undefined ? {} : { rate: load.rate }),
  });
  try {
    return await Promise.race([run.done, failed]);
  } catch (error) {
    run.stop();
    await run.done.catch(() => {});
    throw error;
  }
}

function describeStep(s: CanaryStep, of: number): string {
  const side = (name: string, x: SideStats) => `${name} ${x.requests} req, p99 ${x.p99_ms === undefined ? '–' : `${x.p99_ms.toFixed(2)} ms`}, ${(x.error_rate * 100).toFixed(2)}% 5xx`;
  return `${s.index === 0 ? 'reference' : `step ${s.index}/${of}`} weight ${s.weight}%: ${side('primary', s.primary)}; ${side('canary', s.canary)} → ${s.verdict}${s.reasons.length ? ` (${s.reasons.join('; ')})` : ''}`;
}

const round = (n: number): number => Math.round(n * 1000) / 1000;
