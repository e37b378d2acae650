// The ablation table (terminal, ablate.md, ablate.html): one row per flag, for each metric the change
// alone and without, marked with its verdict, and a reading of the two together; then the details
// (CI, p) and, in HTML, one forest plot per metric.
import type { RunResult, ScenarioResult } from '../result/schema.js';
import { ABSENT } from '../report/format.js';
import { escapeHtml as esc, escapeMarkdown as md } from '../report/escape.js';
import { forestChart, type ForestRow } from '../report/chart/forest.js';
import { spreadBarsChart } from '../report/chart/spread-bars.js';
import { targetColors } from '../report/chart/palette.js';
import { formatCount } from '../report/format.js';
import { describeDriver, metricSummary } from '../report/model.js';
import type { MetricComparison } from '../stats/compare.js';
import { formatChange, formatCi, formatP, VERDICT_TEXT } from '../compare/verdicts.js';
import { htmlPage, htmlTable, markdownHeader, markdownTable } from '../compare/page.js';
import { ABLATE_METRICS, readEffects, type Effect, type FlagAblation } from './analyze.js';

export interface AblationOutcome {
  schema: 'proxylab/ablate';
  version: 1;
  run_id: string;
  scenario: { name: string; file: string };
  rounds: number;
  duration_s: number;
  alpha: number;
  threshold: number;
  smallest_p: number;
  flags: FlagAblation[];
  /** optimized judged against baseline (in `alone`), for scale */
  all: Effect[];
  notes: string[];
}

const MARK = { better: '✓', worse: '✗', 'no-difference': '·' } as const;

function cell(c: MetricComparison | undefined): string {
  return c ? `${formatChange(c.change)} ${MARK[c.verdict]}` : ABSENT;
}

export function summaryTable(o: AblationOutcome): { headers: string[]; rows: string[][]; verdicts: Array<Array<string | undefined>> } {
  const headers = ['flag', ...ABLATE_METRICS.flatMap((m) => [`${m.label} alone`, `${m.label} without`])];
  const rows: string[][] = [];
  const verdicts: Array<Array<string | undefined>> = [];
  for (const f of o.flags) {
    rows.push([f.flag, ...f.effects.flatMap((e) => [cell(e.alone), cell(e.without)])]);
    verdicts.push([undefined, ...f.effects.flatMap((e) => [e.alone?.verdict, e.without?.verdict])]);
  }
  rows.push(['all (optimized vs baseline)', ...o.all.flatMap((e) => [cell(e.alone), ABSENT])]);
  verdicts.push([undefined, ...o.all.flatMap((e) => [e.alone?.verdict, undefined])]);
  return { headers, rows, verdicts };
}

/** One line per flag: how its effect alone and its loss without it read together, per metric. */
export function readings(o: AblationOutcome): Array<[string, string]> {
  return o.flags.map((f) => [f.flag, readEffects(f.effects)]);
}

export const LEGEND =
  '"alone": baseline + the flag judged against baseline (what the flag buys by itself). ' +
  '"without": optimized − the flag judged against optimized (what is lost without it). ' +
  'Changes are of the median over rounds; ✓ better, ✗ worse, · no detectable difference ' +
  '(p ≥ alpha or a change within the threshold). A flag that is missed in the set but not detected alone pays off only ' +
  'together with the others (in baseline its saving hides behind a larger cost another flag removes), or alone it is too small for these rounds; ' +
  'one that helps alone but is not missed in the set is covered by the others.';

function detailRows(o: AblationOutcome): string[][] {
  const rows: string[][] = [];
  for (const f of o.flags) {
    for (const [side, name, pick] of [['alone', f.alone, (e: Effect) => e.alone], ['without', f.without, (e: Effect) => e.without]] as const) {
      for (const e of f.effects) {
        const c = pick(e);
        const m = ABLATE_METRICS.find((x) => x.key === e.key)!;
        if (!c) continue;
        rows.push([`${f.flag} ${side}`, name, m.label, m.format(c.baselineMedian), m.format(c.currentMedian), formatChange(c.change), formatCi(c.ci), formatP(c.pValue), VERDICT_TEXT[c.verdict]]);
      }
    }
  }
  return rows;
}
const DETAIL_HEADERS = ['comparison', 'target', 'metric', 'reference', 'target median', 'change', 'CI', 'p', 'verdict'];

function mediansTable(s: ScenarioResult): { headers: string[]; rows: string[][] } {
  const headers = ['target', ...ABLATE_METRICS.map((m) => m.label)];
  const rows = s.targets.map((t) => [t.name, ...ABLATE_METRICS.map((m) => {
    const v = metricSummary(t, m.key);
    return v ? m.format(v.median) : ABSENT;
  })]);
  return { headers, rows };
}

export function renderAblateText(o: AblationOutcome): string {
  const t = summaryTable(o);
  const all = [t.headers, ...t.rows];
  const widths = t.headers.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const lines = all.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd());
  const flagWidth = Math.max(...o.flags.map((f) => f.flag.length));
  return (
    `${lines.join('\n')}\n✓ better  ✗ worse  · no detectable difference; alone = baseline+flag vs baseline, without = optimized−flag vs optimized\n\n` +
    readings(o).map(([flag, text]) => `${flag.padEnd(flagWidth)}  ${text}\n`).join('')
  );
}

export function renderAblateMarkdown(o: AblationOutcome, result: RunResult): string {
  const s = result.scenarios[0]!;
  const t = summaryTable(o);
  const med = mediansTable(s);
  const out = markdownHeader(`proxylab ablate: ${o.scenario.name}`, result);
  out.push(`- **scenario**: ${md(o.scenario.name)} (${md(o.scenario.file)})`, `- **driver**: ${md(describeDriver(s.driver))}, ${o.rounds} rounds`, '');
  out.push('## What each flag buys', '', ...markdownTable(t.headers, t.rows), md(LEGEND), '');
  out.push('## Reading', '', ...readings(o).map(([flag, text]) => `- **${md(flag)}**: ${md(text)}`), '');
  out.push('## Medians per target', '', ...markdownTable(med.headers, med.rows));
  out.push('## Details', '', ...markdownTable(DETAIL_HEADERS, detailRows(o)));
  if (o.notes.length) out.push('**Notes**', '', ...o.notes.map((n) => `- ${md(n)}`), '');
  return out.join('\n');
}

export function renderAblateHtml(o: AblationOutcome, result: RunResult): string {
  const s = result.scenarios[0]!;
  const t = summaryTable(o);
  const med = mediansTable(s);
  const colors = targetColors(s.targets);
  const forests = ABLATE_METRICS.map((m) => {
    const rows: ForestRow[] = [];
    for (const f of o.flags) {
      const e = f.effects.find((x) => x.key === m.key)!;
      for (const [side, c] of [['alone', e.alone], ['without', e.without]] as const) {
        if (!c) continue;
        rows.push({ label: `${f.flag} ${side}`, change: c.change, ci: c.ci, verdict: c.verdict, tooltip: `${f.flag} ${side}: ${formatChange(c.change)} ${formatCi(c.ci)}, p ${formatP(c.pValue)}` });
      }
    }
    return forestChart(`ablate-${m.key}`, `${m.label}: change alone and without, per flag`, rows);
  });
  const charts = [
    ...forests,
    spreadBarsChart(s, colors, { chart: 'rps-bars', title: 'Throughput per target: median and spread', metric: 'rps', yLabel: 'requests per second', label: formatCount }),
  ];
  const body =
    `<section class="scenario" data-ablate="${esc(o.scenario.name)}">` +
    `<p class="meta">scenario: ${esc(o.scenario.name)} (<code>${esc(o.scenario.file)}</code>); driver: ${esc(describeDriver(s.driver))}, ${o.rounds} rounds</p>` +
    `<h3>What each flag buys</h3>` +
    htmlTable(t.headers, t.rows, (row, col) => {
      const v = t.verdicts[row]?.[col];
      return v ? `verdict-${v}` : undefined;
    }) +
    `<p>${esc(LEGEND)}</p>` +
    `<h3>Reading</h3><ul class="notes readings">${readings(o).map(([flag, text]) => `<li data-flag="${esc(flag)}"><b>${esc(flag)}</b>: ${esc(text)}</li>`).join('')}</ul>` +
    `<div class="charts">${charts.map((c) => `<figure>${c}</figure>`).join('')}</div>` +
    `<h3>Medians per target</h3>` + htmlTable(med.headers, med.rows) +
    `<h3>Details</h3>` + htmlTable(DETAIL_HEADERS, detailRows(o)) +
    (o.notes.length ? `<h3>Notes</h3><ul class="notes">${o.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : '') +
    `</section>`;
  return htmlPage(`proxylab ablate: ${o.scenario.name}`, result, body);
}
