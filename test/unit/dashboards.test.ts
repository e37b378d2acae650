// The Grafana dashboards are generated from the metric catalogue: the committed JSON must be what
// the generator writes now, and every metric a query names must be one the proxy registers.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildDashboards, panelQueries, renderDashboards, variableQueries } from '../../dashboards/generate.js';
import { gaugeBy, quantileBy, rateBy, re, selector } from '../../dashboards/promql.js';
import { RUNTIME } from '../../dashboards/runtime-metrics.js';
import { CATALOGUE, PREFIX, type MetricDefinition } from '../../proxy/metrics/catalogue.js';
import { createMetrics } from '../../proxy/metrics/registry.js';

const DIR = resolve(import.meta.dirname, '../../dashboards');
const dashboards = buildDashboards();
const queries = Object.values(dashboards).flatMap(panelQueries);
const variables = Object.values(dashboards).flatMap(variableQueries);

/** Series names the proxy's registry exposes, with a histogram's _bucket/_sum/_count, and their type. */
async function exportedSeries(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const metric of await createMetrics().registry.getMetricsAsJSON()) {
    out.set(metric.name, metric.type);
    if (metric.type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) out.set(`${metric.name}${s}`, 'histogram series');
  }
  return out;
}

/** Metric names in a query: every proxy metric, catalogue or prom-client default, carries the prefix. */
const namesIn = (expr: string) => [...expr.matchAll(new RegExp(`\\b${PREFIX}[a-zA-Z0-9_:]*`, 'g'))].map((m) => m[0]);

describe('generated dashboards', () => {
  it('are committed as generated (run `npm run dashboards` when this fails)', () => {
    const rendered = renderDashboards();
    const committed = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
    expect(committed).toEqual(Object.keys(rendered).sort());
    for (const [file, text] of Object.entries(rendered)) {
      expect(readFileSync(join(DIR, file), 'utf8'), `dashboards/${file} is stale`).toBe(text);
    }
  });

  it('are the four dashboards, each with panels and Prometheus queries', () => {
    expect(Object.values(dashboards).map((d) => d.uid)).toEqual(['proxylab-overview', 'proxylab-upstreams', 'proxylab-canary', 'proxylab-runtime']);
    for (const d of Object.values(dashboards)) expect(panelQueries(d).length, d.title).toBeGreaterThan(3);
  });

  it('name only metrics the proxy registers', async () => {
    const exported = await exportedSeries();
    const named = [...queries.map((q) => q.expr), ...variables.map((v) => v.query)].flatMap(namesIn);
    expect(named.length).toBeGreaterThan(queries.length - 1);
    expect(named.filter((name) => !exported.has(name))).toEqual([]);
  });

  it('show every catalogue metric', () => {
    const named = new Set(queries.flatMap((q) => namesIn(q.expr)).map((n) => n.replace(/_(bucket|sum|count)$/, '')));
    const unused = Object.values(CATALOGUE as Record<string, MetricDefinition>).map((d) => d.name).filter((name) => !named.has(name));
    expect(unused).toEqual([]);
  });

  it("describe prom-client's default metrics as the registry has them", async () => {
    const exported = await exportedSeries();
    for (const def of Object.values(RUNTIME as Record<string, MetricDefinition>)) expect(exported.get(def.name), def.name).toBe(def.type);
  });

  it('scope every query to the $job and $instance variables', () => {
    for (const { panel, expr } of queries) {
      for (const name of namesIn(expr)) {
        for (const at of [...expr.matchAll(new RegExp(`\\b${name}\\b`, 'g'))].map((m) => m.index)) {
          expect(expr.slice(at), `${panel}: ${name}`).toMatch(new RegExp(`^${name}\\{job=~"\\$job",instance=~"\\$instance"`));
        }
      }
    }
  });
});

describe('PromQL helpers', () => {
  it('build selectors and aggregations from catalogue entries', () => {
    expect(selector(CATALOGUE.requests, { status: re('5..') })).toBe('proxylab_requests_total{job=~"$job",instance=~"$instance",status=~"5.."}');
    expect(rateBy(CATALOGUE.drops, ['rule'])).toBe('sum by (rule) (rate(proxylab_dropped_requests_total{job=~"$job",instance=~"$instance"}[$__rate_interval]))');
    expect(quantileBy(0.99, CATALOGUE.requestDuration, ['variant'])).toBe(
      'histogram_quantile(0.99, sum by (le, variant) (rate(proxylab_request_duration_seconds_bucket{job=~"$job",instance=~"$instance"}[$__rate_interval])))',
    );
  });

  it('refuse labels a metric does not have, and the wrong function for its type', () => {
    // @ts-expect-error 'route' is not a label of the drops counter
    expect(() => selector(CATALOGUE.drops, { route: re('.*') })).toThrow(/has no label route/);
    expect(() => selector(CATALOGUE.requestDuration)).toThrow(/needs a series suffix/);
    expect(() => rateBy(CATALOGUE.activeConnections, [])).toThrow(/rate\(\) of a gauge/);
    expect(() => gaugeBy(CATALOGUE.requests, [])).toThrow(/not a gauge/);
    expect(() => quantileBy(0.5, CATALOGUE.requests, [])).toThrow(/histogram_quantile/);
  });
});
