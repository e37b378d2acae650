// The canary timeline as SVG: one value per step per series, drawn as a flat segment over the
// step's time span (that is what a step measures), with a dot at its middle. Weight, per-variant p99
// per-variant p50 and p99, and per-variant 5xx rate each get one chart on the same time axis.
import { escapeHtml as esc } from '../report/escape.js';
import { emptyChart, frame, linear, niceTicks, PLOT, r, tickLabel } from '../report/chart/svg.js';
import type { CanaryResult } from './result.js';

export const COLORS = { primary: '#0072b2', canary: '#d55e00', weight: '#009e73', all: '#8c8c8c', rollback: '#c00000' } as const;

interface Series {
  name: string;
  color: string;
  /** [start s, end s, value] per step; undefined values leave a gap */
  spans: Array<[number, number, number | undefined]>;
}

function stepChart(o: { chart: string; title: string; yLabel: string; xMax: number; series: Series[]; yMax?: number; rollbackAt?: number }): string {
  const values = o.series.flatMap((s) => s.spans.map((x) => x[2]).filter((v): v is number => v !== undefined));
  if (values.length === 0) return emptyChart(o.chart, o.title);
  const y = niceTicks(o.yMax ?? Math.max(...values));
  const xTicks = niceTicks(o.xMax);
  const sx = linear(0, xTicks.max, PLOT.left, PLOT.right);
  const sy = linear(0, y.max, PLOT.bottom, PLOT.top);
  let body = '';
  for (const s of o.series) {
    let path = '';
    let previous: number | undefined;
    for (const [x0, x1, v] of s.spans) {
      if (v === undefined) {
        previous = undefined;
        continue;
      }
      // Joined to the previous step by a vertical line, as a step function.
      path += `${previous === undefined ? 'M' : 'L'}${r(sx(x0))} ${r(sy(v))} L${r(sx(x1))} ${r(sy(v))} `;
      previous = v;
      body += `<circle cx="${r(sx((x0 + x1) / 2))}" cy="${r(sy(v))}" r="3" fill="${s.color}"><title>${esc(`${s.name}: ${tickLabel(v)} ${o.yLabel}`)}</title></circle>`;
    }
    if (path) body = `<path data-series="${esc(s.name)}" d="${path.trim()}" fill="none" stroke="${s.color}" stroke-width="2"/>` + body;
  }
  if (o.rollbackAt !== undefined) {
    const x = r(sx(o.rollbackAt));
    body += `<line data-marker="rollback" x1="${x}" x2="${x}" y1="${PLOT.top}" y2="${PLOT.bottom}" stroke="${COLORS.rollback}" stroke-dasharray="4 3"/>` +
      `<text x="${x}" y="${PLOT.top - 4}" text-anchor="middle" style="fill:${COLORS.rollback}">rollback</text>`;
  }
  return frame({
    chart: o.chart,
    title: o.title,
    xLabel: 'seconds since the weight-0 reference step',
    yLabel: o.yLabel,
    xTicks: xTicks.ticks.map((t) => ({ x: sx(t), label: tickLabel(t) })),
    yTicks: y.ticks.map((t) => ({ y: sy(t), label: tickLabel(t) })),
    body,
  });
}

export function timelineCharts(result: CanaryResult): string[] {
  const steps = result.timeline;
  const xMax = Math.max(1, ...steps.map((s) => s.started_s + s.duration_s));
  const end = steps.at(-1);
  const rollbackAt = result.outcome === 'rolled_back' && end ? end.started_s + end.duration_s : undefined;
  const span = <T>(pick: (s: (typeof steps)[number]) => T) => steps.map((s) => [s.started_s, s.started_s + s.duration_s, pick(s)] as [number, number, T]);
  const marker = rollbackAt === undefined ? {} : { rollbackAt };
  return [
    stepChart({ chart: 'canary-weight', title: 'Canary weight', yLabel: '% of requests', xMax, yMax: 100, series: [{ name: 'weight', color: COLORS.weight, spans: span((s) => s.weight) }], ...marker }),
    stepChart({
      chart: 'canary-p50',
      title: 'p50 latency per variant and of the whole process',
      yLabel: 'ms',
      xMax,
      series: [
        { name: result.variants.primary, color: COLORS.primary, spans: span((s) => s.primary.p50_ms) },
        { name: result.variants.canary, color: COLORS.canary, spans: span((s) => s.canary.p50_ms) },
        { name: 'whole process', color: COLORS.all, spans: span((s) => s.all?.p50_ms) },
      ],
      ...marker,
    }),
    stepChart({
      chart: 'canary-p99',
      title: 'p99 latency per variant (proxy metrics)',
      yLabel: 'ms',
      xMax,
      series: [
        { name: result.variants.primary, color: COLORS.primary, spans: span((s) => s.primary.p99_ms) },
        { name: result.variants.canary, color: COLORS.canary, spans: span((s) => s.canary.p99_ms) },
      ],
      ...marker,
    }),
    stepChart({
      chart: 'canary-errors',
      title: '5xx answers per variant',
      yLabel: '% of requests',
      xMax,
      yMax: Math.max(1, ...steps.flatMap((s) => [s.primary.error_rate, s.canary.error_rate]).map((e) => e * 100)),
      series: [
        { name: result.variants.primary, color: COLORS.primary, spans: span((s) => (s.primary.requests ? s.primary.error_rate * 100 : undefined)) },
        { name: result.variants.canary, color: COLORS.canary, spans: span((s) => (s.canary.requests ? s.canary.error_rate * 100 : undefined)) },
      ],
      ...marker,
    }),
  ];
}
