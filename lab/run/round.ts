// One measured window against one endpoint: open the target's cost window, drive the load,
// close the window, and turn it all into the per-round metrics of lab/result/schema.ts.
import { startLoad, type LoadRequest, type LoadResult } from '../load/index.js';
import { summarize, encode } from '../load/histogram.js';
import { openWindow } from '../probes/index.js';
import type { RoundResult } from '../result/schema.js';
import type { Scenario } from '../scenario/load.js';
import type { Endpoint } from '../topology/topology.js';
import type { Progress } from './progress.js';

export interface RoundContext {
  scenario: Scenario;
  requests: LoadRequest[];
  progress: Progress;
  /** Rejects when any process of the topology dies; the load is stopped and the error rethrown. */
  failed: Promise<never>;
}

export async function drive(endpoint: Endpoint, ctx: RoundContext, duration_s: number): Promise<LoadResult> {
  const load = ctx.scenario.load;
  const run = startLoad(load.driver, {
    port: endpoint.port,
    requests: ctx.requests,
    connections: load.connections,
    pipelining: load.pipelining,
    duration_s,
    timeout_s: load.timeout_s,
    ...(load.rate === undefined ? {} : { rate: load.rate }),
    onTick: (rps) => ctx.progress.tick(rps),
  });
  try {
    return await Promise.race([run.done, ctx.failed]);
  } catch (error) {
    run.stop();
    await run.done.catch(() => {});
    throw error;
  }
}

export async function measureRound(endpoint: Endpoint, ctx: RoundContext, round: number): Promise<RoundResult> {
  const startedAt = new Date().toISOString();
  const close = await Promise.race([openWindow(endpoint), ctx.failed]);
  const load = await drive(endpoint, ctx, ctx.scenario.load.duration_s);
  const cost = await Promise.race([close(load.requests), ctx.failed]);
  const latency = summarize(load.histogram);
  const metrics: Record<string, number> = {
    rps: round1(load.requests / load.duration_s),
    bytes_per_s: Math.round(load.bytes / load.duration_s),
    p50_us: latency.p50,
    p90_us: latency.p90,
    p99_us: latency.p99,
    p999_us: latency.p999,
    max_us: latency.max,
    errors: load.errors,
    non2xx: load.non2xx,
    timeouts: load.timeouts,
  };
  for (const [key, value] of Object.entries(cost)) if (value !== undefined) metrics[key] = value;
  return {
    round,
    started_at: startedAt,
    duration_s: load.duration_s,
    requests: load.requests,
    metrics,
    latency_us: latency,
    driver_cpu_pct: load.driver_cpu_pct,
    histogram: encode(load.histogram),
  };
}

const round1 = (n: number): number => Math.round(n * 10) / 10;
