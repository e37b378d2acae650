// Throughput per round per target. Rounds are interleaved (A B C A B C …), so a drift that hits
// every target in the same round is the machine, and one that hits a single target is the target.
import type { ScenarioResult } from '../../result/schema.js';
import { escapeHtml as esc } from '../escape.js';
import { formatCount } from '../format.js';
import { emptyChart, frame, linear, niceTicks, PLOT, r } from './svg.js';

export function roundThroughputChart(scenario: ScenarioResult, colors: Map<string, string>): string {
  const title = 'Throughput per round';
  const series = scenario.targets
    .map((t) => ({
      name: t.name,
      points: t.rounds
        .filter((round) => Number.isFinite(round.metrics.rps))
        .map((round) => ({ round: round.round, rps: round.metrics.rps! })),
    }))
    .filter((s) => s.points.length > 0);
  if (series.length === 0) return emptyChart('round-throughput', title);

  const rounds = Math.max(...series.flatMap((s) => s.points.map((p) => p.round)));
  const yMax = niceTicks(Math.max(...series.flatMap((s) => s.points.map((p) => p.rps))));
  // Rounds are categories: centre each in its band, which also works for a single round.
  const band = (PLOT.right - PLOT.left) / rounds;
  const x = (round: number) => PLOT.left + (round - 0.5) * band;
  const y = linear(0, yMax.max, PLOT.bottom, PLOT.top);
  const body = series
    .map((s) => {
      const color = colors.get(s.name)!;
      const d = s.points.map((p, i) => `${i ? 'L' : 'M'}${r(x(p.round))} ${r(y(p.rps))}`).join('');
      const dots = s.points
        .map(
          (p) =>
            `<circle data-point="${p.round}" cx="${r(x(p.round))}" cy="${r(y(p.rps))}" r="3.5" fill="${color}">` +
            `<title>${esc(s.name)}, round ${p.round}: ${formatCount(p.rps)} rps</title></circle>`,
        )
        .join('');
      return `<g data-series="${esc(s.name)}"><path d="${d}" fill="none" stroke="${color}" stroke-width="1.5"/>${dots}</g>`;
    })
    .join('');
  // Label every round when they fit, otherwise about ten of them.
  const every = Math.max(1, Math.ceil(rounds / 10));
  const xTicks = Array.from({ length: rounds }, (_, i) => i + 1)
    .filter((n) => n === 1 || n % every === 0)
    .map((n) => ({ x: x(n), label: String(n) }));
  return frame({
    chart: 'round-throughput',
    title,
    xLabel: 'round',
    yLabel: 'requests per second',
    xTicks,
    yTicks: yMax.ticks.map((v) => ({ y: y(v), label: formatCount(v) })),
    body,
    attrs: { 'data-series-count': series.length, 'data-rounds': rounds },
  });
}
