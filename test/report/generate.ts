// A small generator of realistic RunResults for report tests: seeded, so a failure reproduces,
// and shaped like a real run (direct has no process costs, rounds jitter, latency has a tail).
import { RESULT_VERSION, type MetricSummary, type RoundResult, type RunResult, type ScenarioResult, type TargetResult } from '../../lab/result/schema.js';
import { rng } from '../../lab/stats/compare.js'; // the stats module's seeded mulberry32

export const DEFAULT_TARGETS: TargetShape[] = [
  { name: 'direct', kind: 'direct', rps: 41_000, p50_us: 470 },
  { name: 'baseline', kind: 'proxy', rps: 7_600, p50_us: 6_100, cpu_us_per_req: 118, alloc_bytes_per_req: 48_000 },
  { name: 'optimized', kind: 'proxy', rps: 30_800, p50_us: 1_480, cpu_us_per_req: 29, alloc_bytes_per_req: 3_100, saturated: true },
];

/** Latency at percentile p for a heavy-tailed shape anchored at p50. */
function latencyAt(p50: number, p: number, tail: number): number {
  const q = Math.min(p, 99.9999) / 100;
  return p50 * (0.5 / (1 - q)) ** tail;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function summarize(values: number[]): MetricSummary {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length };
}

function makeRound(shape: TargetShape, round: number, rand: () => number, duration: number): RoundResult {
  const jitter = () => 1 + (rand() - 0.5) * 0.12;
  const rps = shape.rps * jitter();
  const p50 = shape.p50_us * jitter();
  const tail = 0.18 + rand() * 0.05;
  const lat = (p: number) => Math.round(latencyAt(p50, p, tail));
  const latency_us = { p50: lat(50), p90: lat(90), p99: lat(99), p999: lat(99.9), max: lat(99.9999), mean: lat(60) };
  const metrics: Record<string, number> = {
    rps,
    bytes_per_s: rps * 1200,
    p50_us: latency_us.p50,
    p90_us: latency_us.p90,
    p99_us: latency_us.p99,
    p999_us: latency_us.p999,
    max_us: latency_us.max,
    errors: rand() < 0.2 ? 1 : 0,
    non2xx: 0,
    timeouts: 0,
  };
  if (shape.cpu_us_per_req !== undefined) {
    metrics.cpu_us_per_req = shape.cpu_us_per_req * jitter();
    metrics.alloc_bytes_per_req = (shape.alloc_bytes_per_req ?? 0) * jitter();
    metrics.gc_per_1k = 0.8 * jitter();
    metrics.gc_pause_us_per_1k = 900 * jitter();
    metrics.peak_rss_bytes = 90 * 1024 * 1024 * jitter();
    metrics.el_delay_p99_us = 2_300 * jitter();
  }
  return {
    round,
    started_at: new Date(Date.UTC(2026, 10, 23, 7, 0, round * 10)).toISOString(),
    duration_s: duration,
    requests: Math.round(rps * duration),
    metrics,
    latency_us,
    driver_cpu_pct: shape.saturated ? 97 + rand() * 3 : 40 + rand() * 30,
  };
}

export function makeScenario(name: string, opts: { rounds?: number; seed?: number; targets?: TargetShape[] } = {}): ScenarioResult {
  const rounds = opts.rounds ?? 5;
  const rand = rng(opts.seed ?? 1);
  const shapes = opts.targets ?? DEFAULT_TARGETS;
  const duration = 6;
  const targets: TargetResult[] = shapes.map((shape) => {
    const rs = Array.from({ length: rounds }, (_, i) => makeRound(shape, i + 1, rand, duration));
    const summary: Record<string, MetricSummary> = {};
    for (const key of Object.keys(rs[0]!.metrics)) summary[key] = summarize(rs.map((r) => r.metrics[key]!));
    const percentiles = [0, 10, 25, 50, 60, 70, 75, 80, 85, 90, 95, 97.5, 99, 99.5, 99.9, 99.95, 99.99, 99.999, 100];
    const p50 = summary.p50_us!.median;
    return {
      name: shape.name,
      kind: shape.kind,
      ...(shape.kind === 'proxy' ? { flags: { pooling: shape.name !== 'baseline' } } : {}),
      rounds: rs,
      summary,
      latency_curve: percentiles.map((p) => [p, Math.round(latencyAt(p50, p, 0.2))] as [number, number]),
      driver_saturated: shape.saturated ?? false,
      notes: [],
    };
  });
  const direct = targets.find((t) => t.kind === 'direct');
  if (direct) {
    for (const t of targets) {
      if (t === direct) continue;
      const per = (f: (a: RoundResult, d: RoundResult) => number) => median(t.rounds.map((r, i) => f(r, direct.rounds[i]!)));
      t.overhead = {
        rps_ratio: per((a, d) => a.metrics.rps! / d.metrics.rps!),
        p50_added_us: per((a, d) => a.latency_us.p50 - d.latency_us.p50),
        p99_added_us: per((a, d) => a.latency_us.p99 - d.latency_us.p99),
        p99_ratio: per((a, d) => a.latency_us.p99 / d.latency_us.p99),
      };
    }
  }
  return {
    name,
    description: `${name}: generated for report tests`,
    file: `scenarios/${name}.yaml`,
    driver: { name: 'autocannon', connections: 50, pipelining: 1, duration_s: duration, warmup_s: 2 },
    rounds,
    targets,
  };
}

export function makeResult(scenarios: ScenarioResult[] = [makeScenario('small-get')]): RunResult {
  return {
    schema: 'proxylab/result',
    version: RESULT_VERSION,
    run_id: '2026-11-23T07-00-00Z-abc123',
    started_at: '2026-11-23T07:00:00.000Z',
    finished_at: '2026-11-23T07:02:41.000Z',
    suite: 'ci',
    env: { git_commit: 'f96d3d3', git_dirty: false, node: 'v20.20.2', cpu_model: 'AMD EPYC 7B13', cores: 2, os: 'linux 6.1 x64' },
    scenarios,
  };
}
