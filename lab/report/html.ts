// report.html: one self-contained page (inline CSS and SVG, no scripts, no network). A CSP meta
// tag forbids every fetch, so a chart that tried to load something would fail loudly in a test.
import type { RunResult, ScenarioResult } from '../result/schema.js';
import { latencyCurveChart } from './chart/latency-curve.js';
import { targetColors } from './chart/palette.js';
import { roundThroughputChart } from './chart/round-throughput.js';
import { spreadBarsChart } from './chart/spread-bars.js';
import { tickLabel } from './chart/svg.js';
import { escapeHtml as esc } from './escape.js';
import { formatCount } from './format.js';
import { describeDriver, provenance, scenarioNotes, scenarioTables, type Table } from './model.js';

export const CSS = `
:root { color-scheme: light; --fg: #1d1d1f; --muted: #5f6368; --line: #d9d9de; --bg-alt: #f6f6f8; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); margin: 0 auto; padding: 24px; max-width: 1240px; }
h1 { font-size: 22px; margin: 0 0 12px; } h2 { font-size: 18px; margin: 0 0 4px; } h3 { font-size: 14px; margin: 18px 0 6px; }
header dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
header dt { color: var(--muted); } header dd { margin: 0; font-family: ui-monospace, monospace; }
nav { margin: 16px 0; } nav a { margin-right: 12px; }
section.scenario { border-top: 1px solid var(--line); margin-top: 24px; padding-top: 16px; }
.meta { color: var(--muted); margin: 2px 0; }
.legend { list-style: none; padding: 0; margin: 10px 0; display: flex; flex-wrap: wrap; gap: 16px; }
.legend li { display: flex; align-items: center; gap: 6px; } .swatch { width: 14px; height: 14px; border-radius: 3px; display: inline-block; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 12px; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 6px; }
svg { width: 100%; height: auto; display: block; }
svg text { font: 11px system-ui, sans-serif; fill: var(--muted); } svg .chart-title { font-size: 13px; font-weight: 600; fill: var(--fg); }
svg .axis-label { font-size: 11px; fill: var(--fg); }
svg .grid { stroke: #ececf0; } svg .axis { stroke: #9a9aa2; } svg .whisker line { stroke: var(--fg); stroke-width: 1.5; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; margin-bottom: 4px; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); white-space: nowrap; }
th { text-align: right; font-weight: 600; background: var(--bg-alt); } td { text-align: right; }
th:first-child, td:first-child { text-align: left; }
tbody tr:hover { background: var(--bg-alt); }
.notes li { margin: 2px 0; }
footer { color: var(--muted); margin-top: 32px; font-size: 12px; }
`;

function table(t: Table): string {
  const head = t.headers.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const rows = t.rows
    .map((row) => `<tr>${row.map((c, i) => (i === 0 ? `<th scope="row">${esc(c)}</th>` : `<td>${esc(c)}</td>`)).join('')}</tr>`)
    .join('');
  return `<h3>${esc(t.title)}</h3><div class="table-wrap"><table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

function scenarioSection(s: ScenarioResult, index: number): string {
  const colors = targetColors(s.targets);
  const legend = s.targets
    .map((t) => `<li><span class="swatch" style="background:${colors.get(t.name)}"></span>${esc(t.name)}</li>`)
    .join('');
  const charts = [
    latencyCurveChart(s, colors),
    roundThroughputChart(s, colors),
    spreadBarsChart(s, colors, {
      chart: 'rps-bars',
      title: 'Throughput: median and spread over rounds',
      metric: 'rps',
      yLabel: 'requests per second',
      label: formatCount,
    }),
    spreadBarsChart(s, colors, {
      chart: 'p99-bars',
      title: 'p99 latency: median and spread over rounds',
      metric: 'p99_us',
      yLabel: 'p99 (ms)',
      label: tickLabel,
      scale: 1 / 1000,
    }),
  ];
  const notes = scenarioNotes(s);
  return (
    `<section class="scenario" id="scenario-${index + 1}" data-scenario="${esc(s.name)}">` +
    `<h2>${esc(s.name)}</h2>` +
    (s.description ? `<p>${esc(s.description)}</p>` : '') +
    `<p class="meta">scenario file: <code>${esc(s.file)}</code></p>` +
    `<p class="meta">driver: ${esc(describeDriver(s.driver))}, ${s.rounds} rounds</p>` +
    `<ul class="legend">${legend}</ul>` +
    `<div class="charts">${charts.map((c) => `<figure>${c}</figure>`).join('')}</div>` +
    scenarioTables(s).map(table).join('') +
    (notes.length ? `<h3>Notes</h3><ul class="notes">${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : '') +
    `</section>`
  );
}

export function renderHtml(result: RunResult): string {
  const header = provenance(result)
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`)
    .join('');
  const nav = result.scenarios.map((s, i) => `<a href="#scenario-${i + 1}">${esc(s.name)}</a>`).join('');
  return (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>proxylab report: ${esc(result.run_id)}</title><style>${CSS}</style></head><body>` +
    `<header><h1>proxylab report: ${esc(result.run_id)}</h1><dl>${header}</dl></header>` +
    `<nav>${nav}</nav>` +
    result.scenarios.map(scenarioSection).join('') +
    `<footer>Generated by proxylab from result.json (schema ${esc(result.schema)} v${result.version}).</footer>` +
    '</body></html>\n'
  );
}
