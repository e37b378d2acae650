// Forest plot: one row per comparison, a dot at the relative change of medians and a line over its
// confidence interval, against a zero line. Whether the interval crosses zero is visible at a glance;
// the dot's colour is the verdict (which also accounts for direction and the minimum effect).
import { escapeHtml as esc } from '../escape.js';
import { linear, r } from './svg.js';

export interface ForestRow {
  label: string;
  /** Relative change (0.12 = +12%); non-finite values are drawn as "n/a". */
  change: number;
  ci: [number, number];
  verdict: 'better' | 'worse' | 'no-difference';
  tooltip: string;
}

const VERDICT_COLOR = { better: '#009e73', worse: '#d55e00', 'no-difference': '#8c8c8c' } as const;
const WIDTH = 560;
const ROW = 22;
const TOP = 34;
const BOTTOM = 40;
const LEFT = 190;
const RIGHT = 24;

export function forestChart(chart: string, title: string, rows: ForestRow[]): string {
  const height = TOP + BOTTOM + Math.max(1, rows.length) * ROW;
  const finite = rows.flatMap((row) => [row.change, ...row.ci]).filter(Number.isFinite);
  // Symmetric-ish domain in percent with a little room; very large gains are clipped at the edge.
  const lo = Math.max(-100, Math.min(-5, ...finite.map((v) => v * 100)));
  const hi = Math.min(1000, Math.max(5, ...finite.map((v) => v * 100)));
  const step = niceStep((hi - lo) / 6);
  const d0 = Math.floor(lo / step) * step;
  const d1 = Math.ceil(hi / step) * step;
  const x = linear(d0, d1, LEFT, WIDTH - RIGHT);
  const clamp = (pct: number) => x(Math.max(d0, Math.min(d1, pct)));
  const ticks: number[] = [];
  for (let v = d0; v <= d1 + step / 2; v += step) ticks.push(Number(v.toPrecision(10)));
  const bottom = height - BOTTOM;
  const grid = ticks
    .map(
      (v) =>
        `<line class="${v === 0 ? 'axis' : 'grid'}" x1="${r(x(v))}" x2="${r(x(v))}" y1="${TOP - 4}" y2="${bottom}"/>` +
        `<text class="tick" x="${r(x(v))}" y="${bottom + 16}" text-anchor="middle">${v > 0 ? '+' : ''}${v}%</text>`,
    )
    .join('');
  const body = rows
    .map((row, i) => {
      const y = TOP + (i + 0.5) * ROW;
      const color = VERDICT_COLOR[row.verdict];
      const label = `<text class="tick" x="${LEFT - 8}" y="${r(y)}" text-anchor="end" dominant-baseline="middle">${esc(row.label)}</text>`;
      if (!Number.isFinite(row.change)) {
        return `<g data-row="${esc(row.label)}" data-verdict="${row.verdict}">${label}<text class="tick" x="${LEFT + 4}" y="${r(y)}" dominant-baseline="middle">n/a</text></g>`;
      }
      const [c0, c1] = row.ci.map((v) => clamp(v * 100)) as [number, number];
      return (
        `<g data-row="${esc(row.label)}" data-verdict="${row.verdict}">${label}` +
        `<line x1="${r(c0)}" x2="${r(c1)}" y1="${r(y)}" y2="${r(y)}" stroke="${color}" stroke-width="2"/>` +
        `<circle cx="${r(clamp(row.change * 100))}" cy="${r(y)}" r="4.5" fill="${color}"><title>${esc(row.tooltip)}</title></circle></g>`
      );
    })
    .join('');
  return (
    `<svg data-chart="${esc(chart)}" data-row-count="${rows.length}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${esc(title)}" xmlns="http://www.w3.org/2000/svg">` +
    `<title>${esc(title)}</title>` +
    `<text class="chart-title" x="8" y="16">${esc(title)}</text>` +
    grid +
    `<text class="axis-label" x="${r((LEFT + WIDTH - RIGHT) / 2)}" y="${height - 6}" text-anchor="middle">relative change of the median (dot) and its confidence interval (line)</text>` +
    `<g class="series">${body}</g></svg>`
  );
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
}
