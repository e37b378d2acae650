// The metric catalogue: the only place metric names, help, type, labels and buckets are written.
// The proxy registers from it and dashboards/ are generated from it, so a panel cannot name a
// metric the proxy does not export.

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricDefinition {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly labels: readonly string[];
  readonly buckets?: readonly number[];
}

/** Seconds; fine enough below a millisecond, where a good proxy lives. */
export const DURATION_BUCKETS = [
  0.00005, 0.0001, 0.00025, 0.0005, 0.00075, 0.001, 0.0015, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
] as const;

export const PREFIX = 'proxylab_';

export const CATALOGUE = {
  requests: {
    name: 'proxylab_requests_total',
    help: 'Requests answered, by route, status code and handler variant.',
    type: 'counter',
    labels: ['route', 'status', 'variant'],
  },
  requestDuration: {
    name: 'proxylab_request_duration_seconds',
    help: 'Time from request received to response finished, by route and variant.',
    type: 'histogram',
    labels: ['route', 'variant'],
    buckets: DURATION_BUCKETS,
  },
  upstreamErrors: {
    name: 'proxylab_upstream_errors_total',
    help: 'Upstream failures by upstream, kind (refused, connect_timeout, headers_timeout, body_timeout, reset, other) and variant.',
    type: 'counter',
    labels: ['upstream', 'kind', 'variant'],
  },
  upstreamConnections: {
    name: 'proxylab_upstream_connections',
    help: 'Pooled upstream connections by target origin and state (busy, idle).',
    type: 'gauge',
    labels: ['origin', 'state'],
  },
  upstreamConnectionsOpened: {
    name: 'proxylab_upstream_connections_opened_total',
    help: 'New upstream TCP connections opened by the fresh-connection (baseline) transport.',
    type: 'counter',
    labels: ['variant'],
  },
  upstreamHealthy: {
    name: 'proxylab_upstream_target_healthy',
    help: '1 when a target is in rotation, 0 when health checks took it out.',
    type: 'gauge',
    labels: ['upstream', 'origin'],
  },
  activeConnections: {
    name: 'proxylab_active_connections',
    help: 'Open downstream (client) connections.',
    type: 'gauge',
    labels: [],
  },
  drops: {
    name: 'proxylab_dropped_requests_total',
    help: 'Requests answered by a drop rule, by rule.',
    type: 'counter',
    labels: ['rule'],
  },
  logged: {
    name: 'proxylab_logged_requests_total',
    help: 'Requests and responses captured by a logging rule, by rule and kind (request, response).',
    type: 'counter',
    labels: ['rule', 'kind'],
  },
  configReloads: {
    name: 'proxylab_config_reloads_total',
    help: 'Configuration reloads by result (ok, failed).',
    type: 'counter',
    labels: ['result'],
  },
  configVersion: {
    name: 'proxylab_config_version',
    help: 'Version number of the configuration snapshot serving traffic.',
    type: 'gauge',
    labels: [],
  },
  canaryWeight: {
    name: 'proxylab_canary_weight_percent',
    help: 'Share of requests sent to the canary variant, 0-100.',
    type: 'gauge',
    labels: [],
  },
  canaryRollbacks: {
    name: 'proxylab_canary_rollbacks_total',
    help: 'Times the canary guard set the canary weight to 0, by reason.',
    type: 'counter',
    labels: ['reason'],
  },
} as const satisfies Record<string, MetricDefinition>;

export type MetricId = keyof typeof CATALOGUE;

/** Prefix of prom-client's default process, GC and event-loop metrics, registered too. */
export const DEFAULT_METRICS_PREFIX = PREFIX;
