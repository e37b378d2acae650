// The proxy's configuration schema: one TypeBox definition gives both the TypeScript types and the
// published JSON Schema (served at /config/docs, written to proxy/config/proxylab.schema.json).
// Field names of the request-control sections (logging, drop, response_logging) follow logprox.
import { Type, type Static } from '@sinclair/typebox';

const HostPort = Type.String({
  pattern: '^[^\\s:]+:[0-9]{1,5}$|^\\[[0-9a-fA-F:]+\\]:[0-9]{1,5}$',
  description: 'host:port to listen on, e.g. 127.0.0.1:8080',
});
const Millis = (description: string, def: number) =>
  Type.Integer({ minimum: 1, maximum: 3_600_000, default: def, description });
const Regex = Type.String({ format: 'regex', description: 'A JavaScript regular expression' });

export const FLAG_NAMES = [
  'pooling',
  'streaming',
  'precompiled_rules',
  'snapshot_config',
  'async_logging',
  'raw_headers',
] as const;

export const Flags = Type.Object(
  {
    pooling: Type.Optional(Type.Boolean({ description: 'undici Pool with keep-alive per target (off: new connection per request)' })),
    streaming: Type.Optional(Type.Boolean({ description: 'stream bodies with backpressure (off: buffer whole bodies)' })),
    precompiled_rules: Type.Optional(Type.Boolean({ description: 'routes and rules compiled once per snapshot (off: regexes compiled per request)' })),
    snapshot_config: Type.Optional(Type.Boolean({ description: 'share the immutable snapshot (off: copy the config per request)' })),
    async_logging: Type.Optional(Type.Boolean({ description: 'async batched access log (off: synchronous write per request)' })),
    raw_headers: Type.Optional(Type.Boolean({ description: 'forward from raw header arrays (off: copy header objects)' })),
    burn_us: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Regression injection: busy-spin this many µs per request. Never part of a preset.' }),
    ),
  },
  { additionalProperties: false },
);

const Target = Type.Object(
  {
    url: Type.String({ pattern: '^https?://[^/\\s]+/?$', description: 'Origin URL (scheme://host:port)' }),
    weight: Type.Integer({ minimum: 1, maximum: 1000, default: 1 }),
  },
  { additionalProperties: false },
);

const HealthCheck = Type.Object(
  {
    path: Type.String({ pattern: '^/', default: '/' }),
    interval_ms: Millis('time between probes', 2000),
    timeout_ms: Millis('probe timeout', 1000),
    unhealthy_threshold: Type.Integer({ minimum: 1, default: 2 }),
    healthy_threshold: Type.Integer({ minimum: 1, default: 1 }),
  },
  { additionalProperties: false },
);

const Upstream = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    balancer: Type.Union([Type.Literal('round_robin'), Type.Literal('weighted_round_robin')], { default: 'round_robin' }),
    targets: Type.Array(Target, { minItems: 1 }),
    pool: Type.Optional(
      Type.Object(
        {
          connections: Type.Integer({ minimum: 1, maximum: 4096, default: 64, description: 'max keep-alive connections per target' }),
          pipelining: Type.Integer({ minimum: 1, maximum: 64, default: 1 }),
        },
        { additionalProperties: false },
      ),
    ),
    health_check: Type.Optional(HealthCheck),
  },
  { additionalProperties: false },
);

const StringMatch = Type.Object(
  {
    exact: Type.Optional(Type.String()),
    regex: Type.Optional(Regex),
    present: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const RouteMatch = Type.Object(
  {
    host: Type.Optional(Type.String({ description: 'exact host, or *.suffix; port ignored' })),
    path: Type.Optional(
      Type.Object(
        { prefix: Type.Optional(Type.String({ pattern: '^/' })), exact: Type.Optional(Type.String({ pattern: '^/' })), regex: Type.Optional(Regex) },
        { additionalProperties: false },
      ),
    ),
    methods: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Z]+$' }), { minItems: 1 })),
    headers: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z0-9!#$%&\'*+.^_`|~-]+$' }), StringMatch)),
    query: Type.Optional(Type.Record(Type.String(), StringMatch)),
  },
  { additionalProperties: false },
);

const Route = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    priority: Type.Integer({ default: 0, description: 'higher wins; ties keep file order' }),
    match: Type.Optional(RouteMatch),
    upstream: Type.String({ minLength: 1 }),
    preserve_host: Type.Boolean({ default: true, description: 'forward the client Host (false: the target host)' }),
    host_rewrite: Type.Optional(Type.String({ minLength: 1, description: 'a fixed Host to send upstream' })),
  },
  { additionalProperties: false },
);

// logprox's match conditions: different kinds AND together; patterns within a list OR together.
const MatchConditions = Type.Object(
  {
    path: Type.Optional(Type.Object({ patterns: Type.Array(Regex) }, { additionalProperties: false })),
    methods: Type.Optional(Type.Array(Type.String())),
    headers: Type.Optional(Type.Record(Type.String(), Regex)),
    body: Type.Optional(Type.Object({ patterns: Type.Array(Regex) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

const Capture = Type.Object(
  {
    headers: Type.Optional(Type.Array(Type.String())),
    body: Type.Optional(Type.Boolean()),
    method: Type.Optional(Type.Boolean()),
    path: Type.Optional(Type.Boolean()),
    timing: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const LoggingRule = Type.Object(
  { name: Type.String({ minLength: 1 }), match_conditions: MatchConditions, capture: Capture },
  { additionalProperties: false },
);

const DropRule = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    match_conditions: MatchConditions,
    response: Type.Object(
      { status_code: Type.Integer({ minimum: 100, maximum: 599 }), body: Type.Optional(Type.String()) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

const ResponseLoggingRule = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    match_conditions: Type.Object(
      {
        status_codes: Type.Optional(Type.Array(Type.Integer({ minimum: 100, maximum: 599 }))),
        headers: Type.Optional(Type.Record(Type.String(), Regex)),
        body: Type.Optional(Type.Object({ patterns: Type.Array(Regex) }, { additionalProperties: false })),
      },
      { additionalProperties: false },
    ),
    capture: Type.Object(
      {
        headers: Type.Optional(Type.Array(Type.String())),
        body: Type.Optional(Type.Boolean()),
        status_code: Type.Optional(Type.Boolean()),
        timing: Type.Optional(Type.Boolean()),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

const ruleSet = <T extends ReturnType<typeof Type.Object>>(rule: T, defaultHelp: string) =>
  Type.Object(
    { default: Type.Boolean({ default: false, description: defaultHelp }), rules: Type.Array(rule, { default: [] }) },
    { additionalProperties: false },
  );

// The live canary: a second variant in the same process, a weight, and a guard that rolls it back.
const GuardRule = Type.Object(
  {
    metric: Type.Union([Type.Literal('p99_ratio'), Type.Literal('p99_ms'), Type.Literal('error_rate')], {
      description: 'p99_ratio: canary p99 / primary p99; p99_ms: canary p99 in ms; error_rate: canary share of 5xx answers (0-1)',
    }),
    above: Type.Number({ minimum: 0, description: 'the rule breaches while the metric is above this' }),
    for_s: Type.Number({ minimum: 0, maximum: 3600, default: 10, description: 'roll back once it has stayed above for this long' }),
  },
  { additionalProperties: false },
);

const Canary = Type.Object(
  {
    handler: Type.Union([Type.Literal('baseline'), Type.Literal('optimized')], { default: 'optimized', description: 'flag preset of the canary variant' }),
    flags: Type.Optional(Flags),
    name: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.+:-]{1,64}$', description: 'variant label of the canary (default: from its flags)' })),
    weight: Type.Number({ minimum: 0, maximum: 100, default: 0, description: 'percent of requests sent to the canary' }),
    sticky: Type.Optional(
      Type.Object(
        {
          by: Type.Union([Type.Literal('client_address'), Type.Literal('header')], { description: 'hash this to pick the variant, so a client stays on one' }),
          header: Type.Optional(Type.String({ pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$", description: 'the header to hash (by: header); requests without it split at random' })),
        },
        { additionalProperties: false },
      ),
    ),
    override_header: Type.Boolean({ default: false, description: 'honour x-proxylab-variant: primary|canary on requests (test and debug traffic)' }),
    guard: Type.Optional(
      Type.Object(
        {
          window_s: Type.Integer({ minimum: 1, maximum: 600, default: 10, description: 'sliding window each rule is evaluated over' }),
          min_samples: Type.Integer({ minimum: 1, default: 100, description: 'requests each variant needs in the window before a rule can breach' }),
          rules: Type.Array(GuardRule, { default: [] }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const ProxyConfig = Type.Object(
  {
    listen: Type.Optional(HostPort),
    admin: Type.Optional(Type.Object({ listen: HostPort }, { additionalProperties: false })),
    handler: Type.Optional(Type.Union([Type.Literal('baseline'), Type.Literal('optimized')], { description: 'flag preset' })),
    flags: Type.Optional(Flags),
    limits: Type.Optional(
      Type.Object(
        {
          max_body_bytes: Type.Integer({ minimum: 0, default: 10 * 1024 * 1024, description: 'request bodies above this get 413' }),
          max_header_bytes: Type.Integer({ minimum: 1024, maximum: 1024 * 1024, default: 16 * 1024, description: 'request heads above this get 431' }),
          body_capture_bytes: Type.Integer({ minimum: 0, default: 64 * 1024, description: 'how much body rules inspect and logs capture' }),
        },
        { additionalProperties: false },
      ),
    ),
    timeouts: Type.Optional(
      Type.Object(
        {
          connect_ms: Millis('upstream connect timeout (504)', 2000),
          headers_ms: Millis('upstream response headers timeout (504)', 30_000),
          body_ms: Millis('upstream idle time between body chunks (504, or abort once streaming)', 30_000),
          upstream_keep_alive_ms: Millis('idle upstream sockets close after this; keep below the origin keep-alive timeout', 4000),
          client_keep_alive_ms: Millis('idle client connections close after this', 5000),
          shutdown_ms: Millis('graceful shutdown deadline for in-flight requests', 10_000),
        },
        { additionalProperties: false },
      ),
    ),
    upstreams: Type.Array(Upstream, { minItems: 1 }),
    routes: Type.Array(Route, { minItems: 1 }),
    logging: Type.Optional(ruleSet(LoggingRule, 'log requests that match no rule')),
    drop: Type.Optional(ruleSet(DropRule, 'drop requests that match no rule (403)')),
    response_logging: Type.Optional(ruleSet(ResponseLoggingRule, 'log responses that match no rule')),
    embedded_url: Type.Optional(
      Type.Object(
        {
          enabled: Type.Boolean({ default: false, description: 'forward GET /https://host/path to that URL' }),
          allowed_hosts: Type.Array(Type.String({ minLength: 1 }), { default: [], description: 'host or host:port; nothing else is reachable' }),
        },
        { additionalProperties: false },
      ),
    ),
    access_log: Type.Optional(
      Type.Object(
        { path: Type.String({ minLength: 1, default: 'stdout', description: '"stdout", "off", or a file path' }) },
        { additionalProperties: false },
      ),
    ),
    canary: Type.Optional(Canary),
  },
  { additionalProperties: false, $id: 'https://proxylab.dev/schemas/proxy-config.json', title: 'proxylab proxy configuration' },
);

export type ProxyConfig = Static<typeof ProxyConfig>;
export type FlagName = (typeof FLAG_NAMES)[number];
export type CanaryConfig = Static<typeof Canary>;
export type GuardRuleConfig = Static<typeof GuardRule>;
