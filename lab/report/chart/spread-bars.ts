// One bar per target at the median over rounds, with a min–max whisker: how big the difference
// between targets is next to how much each one moved between rounds.
import type { MetricKey, ScenarioResult } from '../../result/schema.js';
import { escapeHtml as esc } from '../escape.js';
import { metricSummary } from '../model.js';
import { emptyChart, frame, linear, niceTicks, PLOT, r } from './svg.js';

export interface BarSpec {
  chart: string;
  title: string;
  metric: MetricKey;
  yLabel: string;
  /** Value → axis/tooltip text, in the unit of yLabel. */
  label: (value: number) => string;
  /** Plot in this unit (e.g. µs → ms). */
  scale?: number;
}

export function spreadBarsChart(scenario: ScenarioResult, colors: Map<string, string>, spec: BarSpec): string {
  const k = spec.scale ?? 1;
  const bars = scenario.targets
    .map((t) => ({ name: t.name, s: metricSummary(t, spec.metric) }))
    .filter((b): b is { name: string; s: NonNullable<typeof b.s> } => b.s !== undefined);
  if (bars.length === 0) return emptyChart(spec.chart, spec.title);

  const yMax = niceTicks(Math.max(...bars.map((b) => b.s.max * k)));
  const y = linear(0, yMax.max, PLOT.bottom, PLOT.top);
  const band = (PLOT.right - PLOT.left) / bars.length;
  const width = Math.min(72, band * 0.6);
  const body = bars
    .map((b, i) => {
      const cx = PLOT.left + (i + 0.5) * band;
      const color = colors.get(b.name)!;
      const [med, lo, hi] = [b.s.median * k, b.s.min * k, b.s.max * k];
      const tip = `${b.name}: median ${spec.label(med)}, min ${spec.label(lo)}, max ${spec.label(hi)} (${b.s.n} rounds)`;
      return (
        `<rect data-bar="${esc(b.name)}" x="${r(cx - width / 2)}" y="${r(y(med))}" width="${r(width)}" height="${r(Math.max(0, y(0) - y(med)))}" fill="${color}" fill-opacity="0.8">` +
        `<title>${esc(tip)}</title></rect>` +
        `<g data-whisker="${esc(b.name)}" class="whisker">` +
        `<line x1="${r(cx)}" x2="${r(cx)}" y1="${r(y(lo))}" y2="${r(y(hi))}"/>` +
        `<line x1="${r(cx - 8)}" x2="${r(cx + 8)}" y1="${r(y(lo))}" y2="${r(y(lo))}"/>` +
        `<line x1="${r(cx - 8)}" x2="${r(cx + 8)}" y1="${r(y(hi))}" y2="${r(y(hi))}"/></g>`
      );
    })
    .join('');
  return frame({
    chart: spec.chart,
    title: spec.title,
    xLabel: 'target (bar: median; whisker: min–max over rounds)',
    yLabel: spec.yLabel,
    xTicks: bars.map((b, i) => ({ x: PLOT.left + (i + 0.5) * band, label: shorten(b.name, Math.floor(band / 7)) })),
    yTicks: yMax.ticks.map((v) => ({ y: y(v), label: spec.label(v) })),
    body,
    attrs: { 'data-bar-count': bars.length },
  });
}

/** Long target names would overlap their neighbours; the tooltip keeps the full name. */
function shorten(name: string, max: number): string {
  return name.length <= max ? name : `${name.slice(0, Math.max(1, max - 1))}…`;
}
