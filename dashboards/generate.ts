// Grafana dashboards for the proxy, generated from the metric catalogue with the Grafana Foundation
// SDK. Every query names its metric through a catalogue entry (or RUNTIME, prom-client's defaults),
// so a dashboard cannot ask for a metric the proxy does not export.
//
//   npm run dashboards            write dashboards/*.json (committed)
//   test/unit/dashboards.test.ts  fails when the committed JSON is stale
//   test/integration/prometheus.test.ts  evaluates every query on a real Prometheus
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import {
  DashboardBuilder,
  DashboardCursorSync,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  RowBuilder,
  VariableRefresh,
  VariableSort,
  type Dashboard,
  type Panel,
} from '@grafana/grafana-foundation-sdk/dashboard';
import {
  LegendDisplayMode,
  LegendPlacement,
  SortOrder,
  TooltipDisplayMode,
  VizLegendOptionsBuilder,
  VizTooltipOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as TimeseriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { PanelBuilder as StatBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { CATALOGUE as M } from '../proxy/metrics/catalogue.js';
import { RUNTIME as R } from './runtime-metrics.js';
import { gaugeBy, increaseBy, notRe, quantileBy, rateBy, ratioBy, re, selector } from './promql.js';

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

interface Query {
  readonly expr: string;
  readonly legend: string;
}
const q = (expr: string, legend: string): Query => ({ expr, legend });

function target(query: Query, index: number): Builder<Dataquery> {
  return new DataqueryBuilder()
    .expr(query.expr)
    .legendFormat(query.legend)
    .range()
    .refId(String.fromCharCode(65 + index))
    .datasource(DATASOURCE);
}

function timeseries(title: string, description: string, unit: string, queries: Query[], width = 12): TimeseriesBuilder {
  const panel = new TimeseriesBuilder()
    .title(title)
    .description(description)
    .unit(unit)
    .datasource(DATASOURCE)
    .span(width)
    .height(8)
    .legend(new VizLegendOptionsBuilder().showLegend(true).displayMode(LegendDisplayMode.List).placement(LegendPlacement.Bottom))
    .tooltip(new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi).sort(SortOrder.Descending));
  queries.forEach((query, i) => panel.withTarget(target(query, i)));
  return panel;
}

function stat(title: string, description: string, unit: string, query: Query, width = 6): StatBuilder {
  return new StatBuilder().title(title).description(description).unit(unit).datasource(DATASOURCE).span(width).height(8).withTarget(target(query, 0));
}

/** $datasource, then $job and $instance (multi-select, "All" = .*), read from a gauge every proxy sets at startup. */
function base(uid: string, title: string, description: string): DashboardBuilder {
  const anchor = M.configVersion.name;
  const variable = (name: string, query: string) =>
    new QueryVariableBuilder(name)
      .label(name)
      .datasource(DATASOURCE)
      .query(query)
      .definition(query)
      .refresh(VariableRefresh.OnTimeRangeChanged)
      .sort(VariableSort.AlphabeticalAsc)
      .multi(true)
      .includeAll(true)
      .allValue('.*')
      .current({ text: 'All', value: '$__all' });
  return new DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags(['proxylab', 'generated'])
    .editable()
    .tooltip(DashboardCursorSync.Crosshair)
    .refresh('10s')
    .time({ from: 'now-30m', to: 'now' })
    .timezone('browser')
    .withVariable(new DatasourceVariableBuilder('datasource').label('Prometheus').type('prometheus'))
    .withVariable(variable('job', `label_values(${anchor}, job)`))
    .withVariable(variable('instance', `label_values(${anchor}{job=~"$job"}, instance)`));
}

const non2xx = { status: notRe('2..') };
const serverErrors = { status: re('5..') };

function overview(): DashboardBuilder {
  return base('proxylab-overview', 'proxylab / Overview', 'Traffic, latency and errors of the proxylab reverse proxy, by handler variant.')
    .withRow(new RowBuilder('Traffic'))
    .withPanel(timeseries('Requests per second by variant', M.requests.help, 'reqps', [q(rateBy(M.requests, ['variant']), '{{variant}}')]))
    .withPanel(timeseries('Requests per second by route', M.requests.help, 'reqps', [q(rateBy(M.requests, ['route']), '{{route}}')]))
    .withPanel(
      timeseries('Latency p50 / p99 by variant', M.requestDuration.help, 's', [
        q(quantileBy(0.5, M.requestDuration, ['variant']), 'p50 {{variant}}'),
        q(quantileBy(0.99, M.requestDuration, ['variant']), 'p99 {{variant}}'),
      ]),
    )
    .withPanel(
      timeseries('Active client connections', M.activeConnections.help, 'short', [q(gaugeBy(M.activeConnections, ['instance']), '{{instance}}')]),
    )
    .withRow(new RowBuilder('Errors'))
    .withPanel(timeseries('Non-2xx responses per second by status', M.requests.help, 'reqps', [q(rateBy(M.requests, ['status'], non2xx), '{{status}}')]))
    .withPanel(
      timeseries('5xx share of responses by variant', 'Responses with a 5xx status as a share of all responses.', 'percentunit', [
        q(ratioBy(M.requests, ['variant'], serverErrors), '{{variant}}'),
      ]),
    )
    .withPanel(
      timeseries('Upstream errors per second by kind', M.upstreamErrors.help, 'reqps', [q(rateBy(M.upstreamErrors, ['kind', 'variant']), '{{kind}} {{variant}}')]),
    )
    .withRow(new RowBuilder('Rules and configuration'))
    .withPanel(timeseries('Dropped requests per second by rule', M.drops.help, 'reqps', [q(rateBy(M.drops, ['rule']), '{{rule}}')], 8))
    .withPanel(timeseries('Logged requests per second by rule', M.logged.help, 'reqps', [q(rateBy(M.logged, ['rule', 'kind']), '{{rule}} {{kind}}')], 8))
    .withPanel(
      timeseries(
        'Configuration reloads',
        M.configReloads.help,
        'short',
        [q(increaseBy(M.configReloads, ['result']), '{{result}}'), q(gaugeBy(M.configVersion, ['instance'], {}, 'max'), 'version {{instance}}')],
        8,
      ),
    );
}

function upstreams(): DashboardBuilder {
  return base('proxylab-upstreams', 'proxylab / Upstreams', 'Upstream errors, connection pools and target health of the proxylab reverse proxy.')
    .withRow(new RowBuilder('Errors'))
    .withPanel(
      timeseries('Upstream errors per second by upstream and kind', M.upstreamErrors.help, 'reqps', [
        q(rateBy(M.upstreamErrors, ['upstream', 'kind']), '{{upstream}} {{kind}}'),
      ]),
    )
    .withPanel(
      timeseries('Upstream errors per second by variant', M.upstreamErrors.help, 'reqps', [q(rateBy(M.upstreamErrors, ['variant']), '{{variant}}')]),
    )
    .withRow(new RowBuilder('Connections'))
    .withPanel(
      timeseries('Pooled connections busy / idle by origin', M.upstreamConnections.help, 'short', [
        q(gaugeBy(M.upstreamConnections, ['origin', 'state']), '{{origin}} {{state}}'),
      ]),
    )
    .withPanel(
      timeseries('Fresh upstream connections opened per second', M.upstreamConnectionsOpened.help, 'ops', [
        q(rateBy(M.upstreamConnectionsOpened, ['variant']), '{{variant}}'),
      ]),
    )
    .withRow(new RowBuilder('Health'))
    .withPanel(
      timeseries('Target in rotation (1) or out (0)', M.upstreamHealthy.help, 'short', [
        q(gaugeBy(M.upstreamHealthy, ['upstream', 'origin'], {}, 'min'), '{{upstream}} {{origin}}'),
      ]).min(0).max(1),
    )
    .withPanel(
      stat('Targets out of rotation', 'Targets whose health checks took them out of rotation, across all upstreams.', 'short', q(`sum(1 - ${selector(M.upstreamHealthy)})`, 'unhealthy')),
    );
}

function canary(): DashboardBuilder {
  return base('proxylab-canary', 'proxylab / Canary', 'The canary split: its weight, the two variants side by side, and guard rollbacks.')
    .withRow(new RowBuilder('Split'))
    .withPanel(stat('Canary weight now', M.canaryWeight.help, 'percent', q(gaugeBy(M.canaryWeight, [], {}, 'max'), 'weight')))
    .withPanel(timeseries('Canary weight', M.canaryWeight.help, 'percent', [q(gaugeBy(M.canaryWeight, ['instance'], {}, 'max'), '{{instance}}')], 10).min(0).max(100))
    .withPanel(timeseries('Guard rollbacks by reason', M.canaryRollbacks.help, 'short', [q(increaseBy(M.canaryRollbacks, ['reason']), '{{reason}}')], 8))
    .withRow(new RowBuilder('Variants side by side'))
    .withPanel(timeseries('Requests per second', M.requests.help, 'reqps', [q(rateBy(M.requests, ['variant']), '{{variant}}')], 8))
    .withPanel(timeseries('Latency p99', M.requestDuration.help, 's', [q(quantileBy(0.99, M.requestDuration, ['variant']), '{{variant}}')], 8))
    .withPanel(
      timeseries('Error rate (5xx share)', 'Responses with a 5xx status as a share of all responses.', 'percentunit', [
        q(ratioBy(M.requests, ['variant'], serverErrors), '{{variant}}'),
      ], 8),
    );
}

function runtime(): DashboardBuilder {
  return base('proxylab-runtime', 'proxylab / Runtime', "The proxy process: CPU, memory, garbage collection and event-loop delay (prom-client's default metrics).")
    .withRow(new RowBuilder('CPU and memory'))
    .withPanel(
      timeseries('CPU', 'CPU seconds per second (1 = one core).', 'percentunit', [
        q(rateBy(R.cpuUser, ['instance']), 'user {{instance}}'),
        q(rateBy(R.cpuSystem, ['instance']), 'system {{instance}}'),
      ]),
    )
    .withPanel(timeseries('Resident memory', R.residentMemory.help, 'bytes', [q(gaugeBy(R.residentMemory, ['instance']), '{{instance}}')]))
    .withPanel(
      timeseries('Heap', 'V8 heap in use and reserved, and memory outside the heap.', 'bytes', [
        q(gaugeBy(R.heapUsed, ['instance']), 'used {{instance}}'),
        q(gaugeBy(R.heapTotal, ['instance']), 'total {{instance}}'),
        q(gaugeBy(R.external, ['instance']), 'external {{instance}}'),
      ]),
    )
    .withPanel(
      timeseries('Handles and file descriptors', 'Open libuv handles and file descriptors.', 'short', [
        q(gaugeBy(R.activeHandles, ['instance']), 'handles {{instance}}'),
        q(gaugeBy(R.openFds, ['instance']), 'fds {{instance}}'),
      ]),
    )
    .withRow(new RowBuilder('Garbage collection and event loop'))
    .withPanel(
      timeseries('GC time per second by kind', 'Seconds spent in garbage collection per second of wall time.', 'percentunit', [
        q(rateBy(R.gcDuration, ['instance', 'kind'], {}, '_sum'), '{{kind}} {{instance}}'),
      ], 8),
    )
    .withPanel(timeseries('GC pauses per second by kind', R.gcDuration.help, 'ops', [q(rateBy(R.gcDuration, ['instance', 'kind'], {}, '_count'), '{{kind}} {{instance}}')], 8))
    .withPanel(
      timeseries('Event loop delay', 'Event loop delay as sampled by prom-client.', 's', [
        q(gaugeBy(R.eventLoopLagP99, ['instance'], {}, 'max'), 'p99 {{instance}}'),
        q(gaugeBy(R.eventLoopLagMean, ['instance'], {}, 'max'), 'mean {{instance}}'),
        q(gaugeBy(R.eventLoopLagMax, ['instance'], {}, 'max'), 'max {{instance}}'),
      ], 8),
    );
}

/** The dashboards by file name. */
export function buildDashboards(): Record<string, Dashboard> {
  return {
    'proxylab-overview.json': overview().build(),
    'proxylab-upstreams.json': upstreams().build(),
    'proxylab-canary.json': canary().build(),
    'proxylab-runtime.json': runtime().build(),
  };
}

/** The files `npm run dashboards` writes, by name: stable, two-space JSON with a final newline. */
export function renderDashboards(): Record<string, string> {
  return Object.fromEntries(Object.entries(buildDashboards()).map(([file, dashboard]) => [file, `${JSON.stringify(dashboard, null, 2)}\n`]));
}

export interface PanelQuery {
  readonly dashboard: string;
  readonly panel: string;
  readonly refId: string;
  readonly expr: string;
}

/** Every Prometheus query of every panel, including panels nested in collapsed rows. */
export function panelQueries(dashboard: Dashboard): PanelQuery[] {
  const out: PanelQuery[] = [];
  const visit = (panel: Panel | { panels?: Panel[]; title?: string; targets?: unknown[] }) => {
    for (const t of (panel as Panel).targets ?? []) {
      const expr = (t as { expr?: unknown }).expr;
      if (typeof expr === 'string') out.push({ dashboard: dashboard.title ?? '', panel: panel.title ?? '', refId: String((t as { refId?: unknown }).refId ?? ''), expr });
    }
    for (const nested of (panel as { panels?: Panel[] }).panels ?? []) visit(nested);
  };
  for (const panel of dashboard.panels ?? []) visit(panel as Panel);
  return out;
}

/** Every template variable query (label_values(...)) of a dashboard. */
export function variableQueries(dashboard: Dashboard): Array<{ dashboard: string; name: string; query: string }> {
  return (dashboard.templating?.list ?? [])
    .filter((v) => v.type === 'query' && typeof v.query === 'string')
    .map((v) => ({ dashboard: dashboard.title ?? '', name: v.name, query: v.query as string }));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const dir = resolve(process.argv[2] ?? 'dashboards');
  for (const [file, text] of Object.entries(renderDashboards())) {
    writeFileSync(join(dir, file), text);
    process.stdout.write(`wrote ${join(dir, file)}\n`);
  }
}
