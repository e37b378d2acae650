// The scenario file format: one TypeBox definition gives the TypeScript types and the JSON Schema
// published at scenarios/scenario.schema.json (`proxylab schema --write`). Fields with a default are
// optional in the schema; the loader's ajv (useDefaults) fills them in.
import { Type, type Static } from '@sinclair/typebox';

const Name = Type.String({ pattern: '^[a-z0-9][a-z0-9_.-]*$', maxLength: 64, description: 'lower-case name: letters, digits, . _ -' });
const Bytes = (description: string, def?: number) =>
  Type.Integer({ minimum: 0, maximum: 1024 * 1024 * 1024, description, ...(def === undefined ? {} : { default: def }) });

export const StatusWeight = Type.Object(
  {
    status: Type.Integer({ minimum: 100, maximum: 599 }),
    weight: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1 })),
  },
  { additionalProperties: false },
);

export const OriginSpec = Type.Object(
  {
    size: Type.Optional(Bytes('response body bytes', 1024)),
    latency_us: Type.Optional(Type.Integer({ minimum: 0, maximum: 60_000_000, description: 'delay before responding, microseconds' })),
    latency_ms: Type.Optional(Type.Number({ minimum: 0, maximum: 60_000, description: 'delay before responding, milliseconds' })),
    chunked: Type.Optional(Type.Boolean({ default: false, description: 'send the body in chunks without content-length' })),
    chunk_size: Type.Optional(Bytes('chunk size when chunked', 16 * 1024)),
    status: Type.Optional(Type.Array(StatusWeight, { minItems: 1, description: 'status mix by weight (default: all 200)' })),
  },
  { additionalProperties: false },
);
export type OriginSpec = Static<typeof OriginSpec>;

const ReadyCheck = Type.Object(
  {
    http: Type.Optional(Type.String({ pattern: '^/', description: 'GET this path on the target port until it answers' })),
    tcp: Type.Optional(Type.Boolean({ description: 'wait until the port accepts connections' })),
    timeout_s: Type.Optional(Type.Number({ minimum: 0.1, maximum: 600, default: 20 })),
  },
  { additionalProperties: false },
);

export const ExternalSpec = Type.Object(
  {
    command: Type.String({ minLength: 1, description: 'executable, e.g. nginx (looked up in PATH)' }),
    args: Type.Optional(Type.Array(Type.String(), {
      default: [],
      description: 'arguments; {{PORT}}, {{ORIGIN_PORT}}, {{TARGET}}, {{CONFIG}} (the templated config file), {{DIR}} (the run folder, also the working directory) and {{SCENARIO_DIR}} (the scenario file\'s folder) are replaced',
    })),
    config: Type.Optional(Type.String({ description: 'config file (relative to the scenario), templated into the run folder' })),
    ready: Type.Optional(ReadyCheck),
  },
  { additionalProperties: false },
);
export type ExternalSpec = Static<typeof ExternalSpec>;

export const TargetSpec = Type.Object(
  {
    name: Name,
    preset: Type.Optional(Type.Union([Type.Literal('baseline'), Type.Literal('optimized')], { description: 'proxy flag preset' })),
    flags: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z_]+$' }), Type.Boolean(), { description: 'proxy flags on top of the preset' })),
    config: Type.Optional(Type.String({ description: 'proxy config YAML (relative to the scenario); {{ORIGIN_PORT}} and ${ORIGIN_PORT} are set' })),
    burn_us: Type.Optional(Type.Integer({
      minimum: 0,
      maximum: 1_000_000,
      description: 'regression injection: busy-spin this many microseconds per request (the proxy\'s --flag burn=<N>us), for calibrating the gate',
    })),
    external: Type.Optional(ExternalSpec),
  },
  { additionalProperties: false, description: 'a proxy variant (preset and/or flags) or an external command' },
);
export type TargetSpec = Static<typeof TargetSpec>;

export const RequestSpec = Type.Object(
  {
    method: Type.Optional(Type.String({ pattern: '^[A-Z]+$', default: 'GET' })),
    path: Type.Optional(Type.String({ pattern: '^/', default: '/' })),
    headers: Type.Optional(Type.Record(Type.String({ pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$" }), Type.String(), { default: {} })),
    body_size: Type.Optional(Bytes('request body bytes', 0)),
    weight: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 1 })),
  },
  { additionalProperties: false },
);
export type RequestSpec = Static<typeof RequestSpec>;

export const LoadSpec = Type.Object(
  {
    driver: Type.Optional(
      Type.Union([Type.Literal('autocannon'), Type.Literal('open-loop')], {
        default: 'autocannon',
        description: 'autocannon: closed loop; open-loop: undici at a fixed rate',
      }),
    ),
    connections: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 50 })),
    pipelining: Type.Optional(Type.Integer({ minimum: 1, maximum: 64, default: 1 })),
    duration_s: Type.Optional(Type.Number({ minimum: 0.2, maximum: 3600, default: 3, description: 'measured seconds per round' })),
    warmup_s: Type.Optional(Type.Number({ minimum: 0, maximum: 600, default: 1, description: 'discarded seconds before a target\'s first round' })),
    rate: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000, description: 'requests per second (open-loop only)' })),
    timeout_s: Type.Optional(Type.Number({ minimum: 0.1, maximum: 600, default: 10, description: 'per-request timeout' })),
  },
  { additionalProperties: false },
);
export type LoadSpec = Static<typeof LoadSpec>;

export const CpuSpec = Type.Object(
  {
    driver: Type.Optional(Type.String({ pattern: '^[0-9,-]+$', description: 'CPUs for the lab process (taskset list)' })),
    origin: Type.Optional(Type.String({ pattern: '^[0-9,-]+$' })),
    targets: Type.Optional(Type.String({ pattern: '^[0-9,-]+$' })),
  },
  { additionalProperties: false },
);

export const Scenario = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    name: Name,
    description: Type.Optional(Type.String({ default: '' })),
    origin: Type.Optional(OriginSpec),
    targets: Type.Optional(Type.Array(TargetSpec, { default: [] })),
    direct: Type.Optional(Type.Boolean({ default: true, description: 'also measure the origin with no proxy each round (the floor)' })),
    requests: Type.Optional(Type.Array(RequestSpec, { minItems: 1, default: [{}] })),
    load: Type.Optional(LoadSpec),
    rounds: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 3 })),
    error_limit: Type.Optional(Type.Number({ minimum: 0, maximum: 1, default: 0.01, description: 'max fraction of requests that error or time out' })),
    cpu: Type.Optional(CpuSpec),
    budgets: Type.Optional(Type.Record(Name, Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }), {
      description: 'absolute gates per target name (direct included): "p99 < 5ms", "rps > 20000", "errors == 0", ' +
        '"allocPerRequest < 4KiB", "overhead.p99 < 1.5x" (relative to direct in the same round). A breach exits 1.',
    })),
  },
  {
    additionalProperties: false,
    $id: 'https://proxylab.dev/schemas/scenario.json',
    title: 'proxylab scenario',
  },
);
export type ScenarioInput = Static<typeof Scenario>;

export const Suite = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    name: Type.Optional(Name),
    description: Type.Optional(Type.String()),
    scenarios: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'scenario files, relative to the suite file' }),
  },
  { additionalProperties: false },
);
export type Suite = Static<typeof Suite>;

/** The JSON Schema text committed at scenarios/scenario.schema.json. */
export function scenarioJsonSchema(): string {
  return `${JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...Scenario }, null, 2)}\n`;
}
