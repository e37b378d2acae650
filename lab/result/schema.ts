// The versioned result.json contract: what one `proxylab run` measured. Written by lab/run,
// read by lab/report, lab/baseline and lab/stats. Bump RESULT_VERSION on any breaking change.
import { Type, type Static } from '@sinclair/typebox';

export const RESULT_VERSION = 1;

/** Every per-round metric the lab records; the keys reports, baselines and gates speak of. */
export const METRIC_KEYS = [
  'rps',
  'bytes_per_s',
  'p50_us',
  'p90_us',
  'p99_us',
  'p999_us',
  'max_us',
  'errors',
  'non2xx',
  'timeouts',
  'cpu_us_per_req',
  'alloc_bytes_per_req',
  'gc_per_1k',
  'gc_pause_us_per_1k',
  'peak_rss_bytes',
  'el_delay_p99_us',
] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];

/** Which direction is better for each metric: the verdict logic needs it. */
export const HIGHER_IS_BETTER: Record<MetricKey, boolean> = {
  rps: true,
  bytes_per_s: true,
  p50_us: false,
  p90_us: false,
  p99_us: false,
  p999_us: false,
  max_us: false,
  errors: false,
  non2xx: false,
  timeouts: false,
  cpu_us_per_req: false,
  alloc_bytes_per_req: false,
  gc_per_1k: false,
  gc_pause_us_per_1k: false,
  peak_rss_bytes: false,
  el_delay_p99_us: false,
};

const Num = Type.Number();
const OptNum = Type.Optional(Type.Number());

export const Environment = Type.Object({
  git_commit: Type.String(),
  git_dirty: Type.Boolean(),
  node: Type.String(),
  cpu_model: Type.String(),
  cores: Type.Integer(),
  os: Type.String(),
});
export type Environment = Static<typeof Environment>;

export const DriverSettings = Type.Object({
  name: Type.Union([Type.Literal('autocannon'), Type.Literal('undici-open-loop')]),
  connections: Type.Integer(),
  pipelining: Type.Integer(),
  duration_s: Num,
  warmup_s: Num,
  rate: OptNum,
});
export type DriverSettings = Static<typeof DriverSettings>;

export const LatencySummary = Type.Object({
  p50: Num,
  p90: Num,
  p99: Num,
  p999: Num,
  max: Num,
  mean: Num,
});

export const RoundResult = Type.Object({
  round: Type.Integer({ minimum: 1 }),
  started_at: Type.String(),
  duration_s: Num,
  requests: Type.Integer(),
  /** Metric values for this round; a metric the target cannot report is absent. */
  metrics: Type.Record(Type.String(), Num),
  latency_us: LatencySummary,
  /** The load driver's own CPU use in this round, in % of one core. */
  driver_cpu_pct: Num,
  /** HDR histogram of this round's latencies (µs), base64 compressed, so rounds can be merged. */
  histogram: Type.Optional(Type.String()),
});
export type RoundResult = Static<typeof RoundResult>;

export const MetricSummary = Type.Object({
  median: Num,
  min: Num,
  max: Num,
  n: Type.Integer(),
});
export type MetricSummary = Static<typeof MetricSummary>;

export const Overhead = Type.Object({
  /** Median over rounds of (target rps / direct rps in the same round). */
  rps_ratio: Num,
  /** Median over rounds of (target p50 − direct p50), µs. */
  p50_added_us: Num,
  p99_added_us: Num,
  /** Median over rounds of (target p99 / direct p99). */
  p99_ratio: Num,
});
export type Overhead = Static<typeof Overhead>;

export const TargetResult = Type.Object({
  name: Type.String(),
  kind: Type.Union([Type.Literal('direct'), Type.Literal('proxy'), Type.Literal('external')]),
  flags: Type.Optional(Type.Record(Type.String(), Type.Union([Type.Boolean(), Type.Number()]))),
  command: Type.Optional(Type.String()),
  rounds: Type.Array(RoundResult),
  summary: Type.Record(Type.String(), MetricSummary),
  overhead: Type.Optional(Overhead),
  /** Latency percentile curve of all measured rounds merged: [percentile, µs]. */
  latency_curve: Type.Array(Type.Tuple([Num, Num])),
  /** True when the load driver, not the target, was the limit in any round. */
  driver_saturated: Type.Boolean(),
  notes: Type.Array(Type.String()),
});
export type TargetResult = Static<typeof TargetResult>;

export const ScenarioResult = Type.Object({
  name: Type.String(),
  description: Type.String(),
  file: Type.String(),
  driver: DriverSettings,
  rounds: Type.Integer(),
  targets: Type.Array(TargetResult),
});
export type ScenarioResult = Static<typeof ScenarioResult>;

export const RunResult = Type.Object({
  schema: Type.Literal('proxylab/result'),
  version: Type.Literal(RESULT_VERSION),
  run_id: Type.String(),
  started_at: Type.String(),
  finished_at: Type.String(),
  suite: Type.Optional(Type.String()),
  env: Environment,
  scenarios: Type.Array(ScenarioResult),
});
export type RunResult = Static<typeof RunResult>;
