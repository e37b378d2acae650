// The versioned baseline file, baselines/<scenario>/<target>.json: one target of one scenario as
// measured by `proxylab baseline save`. Per-round samples (the statistics need them, not only the
// summary), the summary, same-round ratios against direct, and the machine fingerprint that decides
// whether absolute numbers are comparable. A baseline may pool several separate runs (each round
// tagged with its run): rounds of one run share the machine's state of the moment, so only
// separate runs show how far a whole run can drift. Bump BASELINE_VERSION on any breaking change.
import { Type, type Static } from '@sinclair/typebox';
import { DriverSettings, MetricSummary, LatencySummary } from '../result/schema.js';

export const BASELINE_VERSION = 1;

const Num = Type.Number();

export const Fingerprint = Type.Object({
  cpu_model: Type.String(),
  cores: Type.Integer(),
  node: Type.String(),
  os: Type.String(),
  driver: DriverSettings,
  rounds: Type.Integer(),
});
export type Fingerprint = Static<typeof Fingerprint>;

export const BaselineRound = Type.Object({
  round: Type.Integer({ minimum: 1 }),
  /** which of the pooled runs (1-based) this round came from; absent in a single-run baseline */
  run: Type.Optional(Type.Integer({ minimum: 1 })),
  requests: Type.Integer(),
  metrics: Type.Record(Type.String(), Num),
  latency_us: LatencySummary,
});

export const BaselineRatios = Type.Object({
  round: Type.Integer({ minimum: 1 }),
  run: Type.Optional(Type.Integer({ minimum: 1 })),
  rps_ratio: Num,
  p50_ratio: Num,
  p99_ratio: Num,
});

export const Baseline = Type.Object(
  {
    schema: Type.Literal('proxylab/baseline'),
    version: Type.Literal(BASELINE_VERSION),
    scenario: Type.String(),
    target: Type.String(),
    kind: Type.Union([Type.Literal('direct'), Type.Literal('proxy'), Type.Literal('external')]),
    flags: Type.Optional(Type.Record(Type.String(), Type.Union([Type.Boolean(), Type.Number()]))),
    saved_at: Type.String(),
    run_id: Type.String(),
    /** every run pooled into this baseline, when it pools more than one (`baseline save --runs N`) */
    run_ids: Type.Optional(Type.Array(Type.String(), { minItems: 2 })),
    git_commit: Type.String(),
    fingerprint: Fingerprint,
    rounds: Type.Array(BaselineRound, { minItems: 1 }),
    /** same-round target/direct ratios; empty for direct itself or a scenario without direct */
    ratios: Type.Array(BaselineRatios),
    summary: Type.Record(Type.String(), MetricSummary),
  },
  { additionalProperties: false },
);
export type Baseline = Static<typeof Baseline>;
