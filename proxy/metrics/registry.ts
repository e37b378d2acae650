// Registers the catalogue with prom-client, plus its default process, GC and event-loop metrics.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { CATALOGUE, DEFAULT_METRICS_PREFIX, type MetricDefinition } from './catalogue.js';

type Built<D> = D extends { type: 'counter' } ? Counter : D extends { type: 'gauge' } ? Gauge : Histogram;
export type Metrics = { readonly [K in keyof typeof CATALOGUE]: Built<(typeof CATALOGUE)[K]> } & { readonly registry: Registry };

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: DEFAULT_METRICS_PREFIX });
  const built: Record<string, unknown> = { registry };
  for (const [id, def] of Object.entries(CATALOGUE) as Array<[string, MetricDefinition]>) {
    const common = { name: def.name, help: def.help, labelNames: [...def.labels], registers: [registry] };
    built[id] =
      def.type === 'counter'
        ? new Counter(common)
        : def.type === 'gauge'
          ? new Gauge(common)
          : new Histogram({ ...common, buckets: [...(def.buckets ?? [])] });
  }
  return built as Metrics;
}
