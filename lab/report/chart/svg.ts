// Minimal SVG plumbing shared by the charts: scales, "nice" ticks and the axes frame. Hand-written
// so report.html stays self-contained with no chart library to inline or keep up to date.
import { escapeHtml as esc } from '../escape.js';

export const WIDTH = 560;
export const HEIGHT = 300;
export const MARGIN = { top: 28, right: 28, bottom: 44, left: 64 };
export const PLOT = {
  left: MARGIN.left,
  right: WIDTH - MARGIN.right,
  top: MARGIN.top,
  bottom: HEIGHT - MARGIN.bottom,
};

export interface Tick {
  value: number;
  label: string;
}

/** Maps [d0, d1] onto [r0, r1]; a degenerate domain maps to the middle of the range. */
export function linear(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  if (d1 === d0) return () => (r0 + r1) / 2;
  return (v) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);
}

/** Ticks from 0 to a round maximum ≥ max, at a 1/2/5 × 10^k step. */
export function niceTicks(max: number, count = 5): { max: number; ticks: number[] } {
  if (!(max > 0) || !Number.isFinite(max)) return { max: 1, ticks: [0, 1] };
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const top = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = 0; v <= top + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  return { max: top, ticks };
}

/** Decade-aligned log domain around [min, max] with ticks at 1, 2, 5 × 10^k (only 1 × 10^k if crowded). */
export function logTicks(min: number, max: number): { min: number; max: number; ticks: number[] } {
  const lo = Math.floor(Math.log10(Math.max(min, 1e-9)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(max, 1e-9))));
  const steps = hi - lo > 3 ? [1] : [1, 2, 5];
  const ticks: number[] = [];
  for (let k = lo; k <= hi; k++) {
    for (const m of steps) {
      const v = Number((m * 10 ** k).toPrecision(12));
      if (v <= 10 ** hi) ticks.push(v);
    }
  }
  return { min: 10 ** lo, max: 10 ** hi, ticks };
}

/** Rounded coordinates keep the markup short and stable. */
export function r(n: number): string {
  return (Math.round(n * 10) / 10).toString();
}

interface FrameOptions {
  chart: string;
  title: string;
  xLabel: string;
  yLabel: string;
  /** Tick positions already in pixel space. */
  xTicks: Array<{ x: number; label: string }>;
  yTicks: Array<{ y: number; label: string }>;
  body: string;
  attrs?: Record<string, string | number>;
}

/** The chart's <svg>: grid, axes, tick labels, titles, then the series body on top. */
export function frame(o: FrameOptions): string {
  const attrs = Object.entries(o.attrs ?? {})
    .map(([k, v]) => ` ${k}="${esc(String(v))}"`)
    .join('');
  const grid = o.yTicks
    .map(
      (t) =>
        `<line class="grid" x1="${PLOT.left}" x2="${PLOT.right}" y1="${r(t.y)}" y2="${r(t.y)}"/>` +
        `<text class="tick" x="${PLOT.left - 6}" y="${r(t.y)}" text-anchor="end" dominant-baseline="middle">${esc(t.label)}</text>`,
    )
    .join('');
  const xTicks = o.xTicks
    .map(
      (t) =>
        `<line class="axis" x1="${r(t.x)}" x2="${r(t.x)}" y1="${PLOT.bottom}" y2="${PLOT.bottom + 4}"/>` +
        `<text class="tick" x="${r(t.x)}" y="${PLOT.bottom + 16}" text-anchor="middle">${esc(t.label)}</text>`,
    )
    .join('');
  return (
    `<svg data-chart="${esc(o.chart)}"${attrs} viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${esc(o.title)}" xmlns="http://www.w3.org/2000/svg">` +
    `<title>${esc(o.title)}</title>` +
    `<text class="chart-title" x="${PLOT.left}" y="16">${esc(o.title)}</text>` +
    grid +
    `<line class="axis" x1="${PLOT.left}" x2="${PLOT.right}" y1="${PLOT.bottom}" y2="${PLOT.bottom}"/>` +
    `<line class="axis" x1="${PLOT.left}" x2="${PLOT.left}" y1="${PLOT.top}" y2="${PLOT.bottom}"/>` +
    xTicks +
    `<text class="axis-label" x="${r((PLOT.left + PLOT.right) / 2)}" y="${HEIGHT - 6}" text-anchor="middle">${esc(o.xLabel)}</text>` +
    `<text class="axis-label" transform="translate(14 ${r((PLOT.top + PLOT.bottom) / 2)}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>` +
    `<g class="series">${o.body}</g>` +
    `</svg>`
  );
}

/** Placeholder when a scenario has nothing to plot, so the page says so instead of looking broken. */
export function emptyChart(chart: string, title: string): string {
  return (
    `<svg data-chart="${esc(chart)}" data-empty="true" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${esc(title)}" xmlns="http://www.w3.org/2000/svg">` +
    `<text class="chart-title" x="${PLOT.left}" y="16">${esc(title)}</text>` +
    `<text class="tick" x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle">no data</text></svg>`
  );
}

/** Axis labels drop trailing zeros ("0.5", not "0.500"); table cells keep them. */
export function tickLabel(n: number): string {
  return String(Number(n.toFixed(3)));
}
