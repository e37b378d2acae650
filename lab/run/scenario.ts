// One scenario end to end: start the topology, warm each endpoint up, measure the endpoints
// interleaved round by round (direct A B direct A B …), summarize, and stop every process on
// every way out.
import { join } from 'node:path';
import { RunFailedError } from '../errors.js';
import { expandMix } from '../load/index.js';
import { decode, merge, curve } from '../load/histogram.js';
import { SATURATED_PCT } from '../load/cpu.js';
import type { RoundResult, ScenarioResult, TargetResult } from '../result/schema.js';
import type { Scenario, Target } from '../scenario/load.js';
import { summarizeRounds, overheadVsDirect } from '../stats/summary.js';
import { Topology, type Endpoint } from '../topology/topology.js';
import { pinSelf } from '../topology/affinity.js';
import { drive, measureRound, type RoundContext } from './round.js';
import type { Progress } from './progress.js';

export interface RunScenarioOptions {
  /**
   * `alternate` reverses the order on even rounds (A B, B A, A B …), so no target always runs right
   * after the same neighbour (its TIME_WAIT sockets, the origin's state): compare and ablate use it.
   */
  order?: 'fixed' | 'alternate';
}

export async function runScenario(scenario: Scenario, runDir: string, progress: Progress, opts: RunScenarioOptions = {}): Promise<ScenarioResult> {
  const topology = new Topology(scenario, join(runDir, scenario.name));
  const unpin = scenario.cpu.driver ? pinSelf(scenario.cpu.driver) : undefined;
  try {
    progress.note(`${scenario.name}: starting origin and ${scenario.targets.length} target(s)`);
    await topology.startOrigin();
    const endpoints: Endpoint[] = [];
    if (scenario.direct) endpoints.push(topology.direct());
    for (const target of scenario.targets) endpoints.push(await topology.startTarget(target));

    const ctx: RoundContext = { scenario, requests: expandMix(scenario.requests), progress, failed: topology.failed };
    if (scenario.load.warmup_s > 0) {
      for (const endpoint of endpoints) {
        progress.start(scenario.name, endpoint.name, 'warm-up');
        await drive(endpoint, ctx, scenario.load.warmup_s);
      }
    }
    const rounds = new Map<string, RoundResult[]>(endpoints.map((e) => [e.name, []]));
    for (let round = 1; round <= scenario.rounds; round++) {
      const order = opts.order === 'alternate' && round % 2 === 0 ? [...endpoints].reverse() : endpoints;
      for (const endpoint of order) {
        progress.start(scenario.name, endpoint.name, `round ${round}/${scenario.rounds}`);
        const result = await measureRound(endpoint, ctx, round);
        checkErrors(scenario, endpoint, result);
        rounds.get(endpoint.name)!.push(result);
        progress.roundDone(
          `${Math.round(result.metrics.rps ?? 0).toLocaleString('en-US')} rps  p50 ${ms(result.latency_us.p50)}  p99 ${ms(result.latency_us.p99)}` +
            (result.driver_cpu_pct >= SATURATED_PCT ? `  (driver CPU ${result.driver_cpu_pct}%)` : ''),
        );
      }
    }
    const direct = rounds.get('direct');
    const targets = endpoints.map((e) => targetResult(e, scenario, rounds.get(e.name)!, e.kind === 'direct' ? undefined : direct));
    return {
      name: scenario.name,
      description: scenario.description,
      file: scenario.file,
      driver: {
        name: scenario.load.driver === 'open-loop' ? 'undici-open-loop' : 'autocannon',
        connections: scenario.load.connections,
        pipelining: scenario.load.pipelining,
        duration_s: scenario.load.duration_s,
        warmup_s: scenario.load.warmup_s,
        ...(scenario.load.rate === undefined ? {} : { rate: scenario.load.rate }),
      },
      rounds: scenario.rounds,
      targets,
    };
  } finally {
    await topology.stop();
    unpin?.();
  }
}

function checkErrors(scenario: Scenario, endpoint: Endpoint, r: RoundResult): void {
  const errors = r.metrics.errors ?? 0;
  const attempted = r.requests + errors;
  if (attempted === 0) throw new RunFailedError('NO_RESPONSES', `${scenario.name}/${endpoint.name} round ${r.round}: no request completed`);
  const fraction = errors / attempted;
  if (fraction > scenario.error_limit) {
    throw new RunFailedError(
      'ERROR_LIMIT',
      `${scenario.name}/${endpoint.name} round ${r.round}: ${errors} errors (${r.metrics.timeouts ?? 0} timeouts) in ${attempted} requests ` +
        `= ${(fraction * 100).toFixed(2)}% > error_limit ${(scenario.error_limit * 100).toFixed(2)}%` +
        (endpoint.proc ? `; log ${endpoint.proc.logFile}:\n${endpoint.proc.logTail()}` : ''),
    );
  }
}

function targetResult(endpoint: Endpoint, scenario: Scenario, rounds: RoundResult[], direct: RoundResult[] | undefined): TargetResult {
  const spec: Target | undefined = scenario.targets.find((t) => t.name === endpoint.name);
  const notes: string[] = [];
  const saturated = rounds.filter((r) => r.driver_cpu_pct >= SATURATED_PCT);
  if (saturated.length > 0) {
    notes.push(
      `load driver CPU ≥ ${SATURATED_PCT}% of a core in ${saturated.length}/${rounds.length} round(s) ` +
        `(max ${Math.max(...saturated.map((r) => r.driver_cpu_pct))}%): throughput may be the driver's limit, not the target's`,
    );
  }
  if (spec?.kind === 'proxy') notes.push(`preset ${spec.preset}${Object.keys(spec.flags).length > 0 ? ' with flag overrides' : ''}`);
  if (spec?.kind === 'proxy' && spec.burn_us) notes.push(`regression injection: burn ${spec.burn_us} µs of CPU per request`);
  if (endpoint.kind === 'external') notes.push('per-request CPU and peak RSS from /proc (process and its children); no GC or allocation data');
  const merged = merge(rounds.map((r) => decode(r.histogram!)));
  const overhead = direct ? overheadVsDirect(rounds, direct) : undefined;
  return {
    name: endpoint.name,
    kind: endpoint.kind,
    ...(spec?.kind === 'proxy' && (Object.keys(spec.flags).length > 0 || spec.burn_us)
      ? { flags: { ...spec.flags, ...(spec.burn_us ? { burn_us: spec.burn_us } : {}) } }
      : {}),
    ...(endpoint.command ? { command: endpoint.command } : {}),
    rounds,
    summary: summarizeRounds(rounds),
    ...(overhead ? { overhead } : {}),
    latency_curve: curve(merged),
    driver_saturated: saturated.length > 0,
    notes,
  };
}

export function ms(us: number): string {
  return `${(us / 1000).toFixed(3)} ms`;
}
