// Latency by percentile on a "nines" axis (50, 90, 99, 99.9 … equally spaced), the usual HDR
// histogram view: tails that a p99 column hides show up as the curve's rise on the right.
// Latency is on a log axis: a 0.4 ms floor and a 6 ms baseline must both stay readable.
import type { ScenarioResult } from '../../result/schema.js';
import { escapeHtml as esc } from '../escape.js';
import { emptyChart, frame, linear, logTicks, PLOT, r, tickLabel } from './svg.js';

const NINES = [50, 90, 99, 99.9, 99.99, 99.999];
const P_MIN = 50;
const P_MAX = 99.999;

// latency_curve points are [percentile in 0–100, µs]; the p100 (max) point is drawn at the
// right edge, where the curve's last rise ends.

/** x = −log10(1 − p): 50 → 0.30, 90 → 1, 99 → 2, 99.9 → 3 … */
function nines(percentile: number): number {
  const p = Math.min(Math.max(percentile, P_MIN), P_MAX);
  return -Math.log10(1 - p / 100);
}

export function latencyCurveChart(scenario: ScenarioResult, colors: Map<string, string>): string {
  const title = 'Latency by percentile (all measured rounds merged)';
  const series = scenario.targets
    .map((t) => ({ name: t.name, points: t.latency_curve.filter(([p, us]) => p >= P_MIN && us > 0 && Number.isFinite(us)) }))
    .filter((s) => s.points.length > 0);
  if (series.length === 0) return emptyChart('latency-curve', title);

  const all = series.flatMap((s) => s.points.map(([, us]) => us));
  const yAxis = logTicks(Math.min(...all), Math.max(...all));
  const x = linear(nines(P_MIN), nines(P_MAX), PLOT.left, PLOT.right);
  const logY = linear(Math.log10(yAxis.min), Math.log10(yAxis.max), PLOT.bottom, PLOT.top);
  const y = (us: number) => logY(Math.log10(us));
  const body = series
    .map((s) => {
      const d = s.points.map(([p, us], i) => `${i ? 'L' : 'M'}${r(x(nines(p)))} ${r(y(us))}`).join('');
      const color = colors.get(s.name)!;
      return (
        `<path data-series="${esc(s.name)}" d="${d}" fill="none" stroke="${color}" stroke-width="2">` +
        `<title>${esc(s.name)}</title></path>`
      );
    })
    .join('');
  return frame({
    chart: 'latency-curve',
    title,
    xLabel: 'percentile',
    yLabel: 'latency (ms, log scale)',
    xTicks: NINES.map((p) => ({ x: x(nines(p)), label: `${p}%` })),
    yTicks: yAxis.ticks.map((us) => ({ y: y(us), label: tickLabel(us / 1000) })),
    body,
    attrs: { 'data-series-count': series.length },
  });
}
