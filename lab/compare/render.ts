// compare.md and compare.html: the verdict table, how to read it, a forest plot of every metric's
// change with its CI, and the lab's usual per-round charts for A and B.
import type { RunResult, ScenarioResult } from '../result/schema.js';
import { escapeHtml as esc, escapeMarkdown as md } from '../report/escape.js';
import { formatCount, formatMs } from '../report/format.js';
import { forestChart } from '../report/chart/forest.js';
import { roundThroughputChart } from '../report/chart/round-throughput.js';
import { spreadBarsChart } from '../report/chart/spread-bars.js';
import { latencyCurveChart } from '../report/chart/latency-curve.js';
import { targetColors } from '../report/chart/palette.js';
import { tickLabel } from '../report/chart/svg.js';
import { describeDriver } from '../report/model.js';
import { htmlPage, htmlTable, markdownHeader, markdownTable } from './page.js';
import { verdictTable, type CompareOutcome } from './model.js';
import { formatChange, formatCi, formatP, VERDICT_TEXT } from './verdicts.js';

export function howToRead(o: CompareOutcome): string {
  return (
    `B is judged against A over ${o.rounds} interleaved rounds per target. "change" is B's median over A's median − 1; ` +
    `the ${Math.round((1 - o.alpha) * 100)}% CI is a bootstrap interval of that change; p is a two-sided Mann-Whitney test on the per-round values. ` +
    `A verdict of better or worse needs p < ${o.alpha} and a change beyond ±${Math.round(o.threshold * 100)}%; ` +
    `anything else is "no detectable difference" (which is not proof of equality: it may be smaller than these rounds can see). ` +
    `"B ahead" counts the rounds in which B beat A, round by round: if it is lopsided while the verdict sees no difference, the machine drifted (see the notes).`
  );
}

export function renderCompareMarkdown(o: CompareOutcome, result: RunResult): string {
  const t = verdictTable(o);
  const s = result.scenarios[0]!;
  const out = markdownHeader(`proxylab compare: ${o.a.spec} vs ${o.b.spec}`, result);
  out.push(
    `- **scenario**: ${md(o.scenario.name)} (${md(o.scenario.file)})`,
    `- **driver**: ${md(describeDriver(s.driver))}, ${o.rounds} rounds`,
    `- **A**: ${md(o.a.spec)} → ${md(o.a.name)}: ${md(o.a.description)}`,
    `- **B**: ${md(o.b.spec)} → ${md(o.b.name)}: ${md(o.b.description)}`,
    '',
    ...markdownTable(t.headers, t.rows),
    md(howToRead(o)),
    '',
  );
  if (o.notes.length) out.push('**Notes**', '', ...o.notes.map((n) => `- ${md(n)}`), '');
  return out.join('\n');
}

export function renderCompareHtml(o: CompareOutcome, result: RunResult): string {
  const s: ScenarioResult = result.scenarios[0]!;
  const t = verdictTable(o);
  const colors = targetColors(s.targets);
  const forest = forestChart(
    'compare-forest',
    `B (${o.b.name}) against A (${o.a.name}), per metric`,
    o.metrics.map((m) => ({
      label: m.label,
      change: m.change,
      ci: m.ci,
      verdict: m.verdict,
      tooltip: `${m.label}: ${formatChange(m.change)} ${formatCi(m.ci)}, p ${formatP(m.pValue)}: ${VERDICT_TEXT[m.verdict]}`,
    })),
  );
  const charts = [
    forest,
    spreadBarsChart(s, colors, { chart: 'rps-bars', title: 'Throughput: median and spread over rounds', metric: 'rps', yLabel: 'requests per second', label: formatCount }),
    spreadBarsChart(s, colors, { chart: 'p99-bars', title: 'p99 latency: median and spread over rounds', metric: 'p99_us', yLabel: 'p99 (ms)', label: tickLabel, scale: 1 / 1000 }),
    roundThroughputChart(s, colors),
    latencyCurveChart(s, colors),
  ];
  const legend = s.targets.map((x) => `<li><span class="swatch" style="background:${colors.get(x.name)}"></span>${esc(x.name)}</li>`).join('');
  const verdictCol = t.headers.length - 1;
  const body =
    `<section class="scenario" data-compare="${esc(o.scenario.name)}">` +
    `<p class="meta">scenario: ${esc(o.scenario.name)} (<code>${esc(o.scenario.file)}</code>); driver: ${esc(describeDriver(s.driver))}, ${o.rounds} rounds</p>` +
    `<p class="meta"><b>A</b> ${esc(o.a.spec)} → ${esc(o.a.name)}: ${esc(o.a.description)}</p>` +
    `<p class="meta"><b>B</b> ${esc(o.b.spec)} → ${esc(o.b.name)}: ${esc(o.b.description)}</p>` +
    `<h3>Verdicts</h3>` +
    htmlTable(t.headers, t.rows, (row, col) => (col === verdictCol ? `verdict-${t.verdicts[row]}` : undefined)) +
    `<p>${esc(howToRead(o))}</p>` +
    `<ul class="legend">${legend}</ul>` +
    `<div class="charts">${charts.map((c) => `<figure>${c}</figure>`).join('')}</div>` +
    (o.notes.length ? `<h3>Notes</h3><ul class="notes">${o.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : '') +
    `</section>`;
  return htmlPage(`proxylab compare: ${o.a.spec} vs ${o.b.spec}`, result, body);
}

/** The terminal's one-line summary under the table. */
export function headline(o: CompareOutcome): string {
  const rps = o.metrics.find((m) => m.key === 'rps');
  const p99 = o.metrics.find((m) => m.key === 'p99_us');
  const parts = [];
  if (rps) parts.push(`rps ${formatCount(rps.baselineMedian)} → ${formatCount(rps.currentMedian)} (${(rps.currentMedian / rps.baselineMedian).toFixed(2)}×)`);
  if (p99) parts.push(`p99 ${formatMs(p99.baselineMedian)} → ${formatMs(p99.currentMedian)} ms`);
  return parts.join(', ');
}
