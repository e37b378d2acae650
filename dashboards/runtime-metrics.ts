// prom-client's default process, GC and event-loop metrics, which the proxy registers under the
// catalogue's prefix (proxy/metrics/registry.ts). prom-client names them, not the catalogue, so
// they are described here in the catalogue's shape, named from its prefix; test/unit/dashboards.test.ts
// checks every one against a registry built by createMetrics(), so a prom-client rename fails a test.
import { DEFAULT_METRICS_PREFIX, type MetricDefinition } from '../proxy/metrics/catalogue.js';

const def = <const L extends readonly string[]>(suffix: string, type: MetricDefinition['type'], labels: L, help: string) =>
  ({ name: `${DEFAULT_METRICS_PREFIX}${suffix}`, type, labels, help }) as const;

export const RUNTIME = {
  gcDuration: def('nodejs_gc_duration_seconds', 'histogram', ['kind'], 'Garbage collection pauses by kind (major, minor, incremental, weakcb).'),
  heapUsed: def('nodejs_heap_size_used_bytes', 'gauge', [], 'V8 heap in use.'),
  heapTotal: def('nodejs_heap_size_total_bytes', 'gauge', [], 'V8 heap reserved.'),
  external: def('nodejs_external_memory_bytes', 'gauge', [], 'Memory held outside the V8 heap (Buffers).'),
  eventLoopLagP99: def('nodejs_eventloop_lag_p99_seconds', 'gauge', [], 'Event loop delay, 99th percentile.'),
  eventLoopLagMean: def('nodejs_eventloop_lag_mean_seconds', 'gauge', [], 'Event loop delay, mean.'),
  eventLoopLagMax: def('nodejs_eventloop_lag_max_seconds', 'gauge', [], 'Event loop delay, maximum.'),
  cpuUser: def('process_cpu_user_seconds_total', 'counter', [], 'User CPU time.'),
  cpuSystem: def('process_cpu_system_seconds_total', 'counter', [], 'System CPU time.'),
  residentMemory: def('process_resident_memory_bytes', 'gauge', [], 'Resident set size.'),
  openFds: def('process_open_fds', 'gauge', [], 'Open file descriptors.'),
  activeHandles: def('nodejs_active_handles_total', 'gauge', [], 'Active libuv handles (sockets, timers).'),
} as const satisfies Record<string, MetricDefinition>;
