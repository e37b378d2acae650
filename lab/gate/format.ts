// The gate's verdict tables (Markdown; printed to the terminal as well) and JUnit XML.
import { formatValue, type BudgetOutcome } from './budgets.js';
import { fmtP, type MetricRow, type TargetComparison } from './compare.js';
import type { Unit } from '../scenario/budget.js';

export type TargetVerdict = 'regression' | 'improvement' | 'no change' | 'floor moved';

export function targetVerdict(c: TargetComparison): TargetVerdict {
  if (c.regressions.length > 0) return 'regression';
  // direct is never gated (the proxy is under test, not the machine), but a moved floor is worth saying.
  if (c.rows.every((r) => !r.gated) && c.rows.some((r) => (r.metric === 'rps' || r.metric === 'p50_us') && r.result.verdict !== 'no-difference')) return 'floor moved';
  if (c.rows.some((r) => r.gated && r.result.verdict === 'better')) return 'improvement';
  return 'no change';
}

function unitOf(metric: string): Unit {
  if (metric.startsWith('overhead.')) return 'ratio';
  if (metric === 'rps') return 'rps';
  if (metric.endsWith('_us') || metric.endsWith('_us_per_req') || metric.endsWith('_us_per_1k')) return 'us';
  if (metric.includes('bytes')) return 'bytes';
  return 'plain';
}

const pct = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%` : x > 0 ? '+∞' : x < 0 ? '−∞' : 'n/a');
const mdeText = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '∞');

function verdictCell(r: MetricRow): string {
  const v = r.result.verdict === 'worse' ? 'worse' : r.result.verdict === 'better' ? 'better' : 'no change';
  if (!r.gated && r.result.verdict !== 'no-difference') return `${v} (not gated)`;
  return r.result.verdict === 'worse' ? '**worse**' : v;
}

export function comparisonMarkdown(c: TargetComparison): string {
  const gated = c.rows.filter((r) => r.gated);
  const lines = [
    `### ${c.scenario} / ${c.target}: ${targetVerdict(c)}`,
    '',
    `Mode: ${c.mode === 'absolute' ? 'absolute numbers (same machine and settings as the baseline)' : 'same-run overhead ratios against direct (see the note below)'}. ` +
      `Verdict = Mann-Whitney p < α AND |change| > threshold + run drift; α per gated metric ${fmtP(c.alphaPerMetric)} (family-wise 0.05 split over ${gated.length || 1}); ` +
      `current minimum detectable effect: ${gated.map((r) => `${r.metric} ${mdeText(r.mde)}`).join(', ') || 'n/a'}.`,
    ...c.notes.map((n) => `- ${n}`),
    '',
    '| metric | gated | baseline | current | change | CI of change | p | run drift | MDE | verdict |',
    '|---|---|--:|--:|--:|---|--:|--:|--:|---|',
    ...c.rows.map((r) => {
      const u = unitOf(r.metric);
      return `| ${r.metric} | ${r.gated ? 'yes' : ''} | ${formatValue(r.result.baselineMedian, u)} | ${formatValue(r.result.currentMedian, u)} | ${pct(r.result.change)} | ` +
        `[${pct(r.result.ci[0])}, ${pct(r.result.ci[1])}] | ${fmtP(r.result.pValue)} | ${r.runDrift !== undefined ? `±${(r.runDrift * 100).toFixed(1)}%` : '–'} | ${mdeText(r.mde)} | ${verdictCell(r)} |`;
    }),
    '',
  ];
  return lines.join('\n');
}

export function budgetsMarkdown(outcomes: BudgetOutcome[]): string {
  if (outcomes.length === 0) return '';
  return [
    '### Budgets',
    '',
    '| scenario | target | budget | observed | result |',
    '|---|---|---|---|---|',
    ...outcomes.map((o) => `| ${o.scenario} | ${o.target} | \`${o.budget.text}\` | ${o.message} | ${o.pass ? 'pass' : '**BREACH**'} |`),
    '',
  ].join('\n');
}

export interface GateSummary {
  comparisons: TargetComparison[];
  budgets: BudgetOutcome[];
  /** scenario/target pairs that had no baseline */
  missing: string[];
  compared: boolean;
}

export function gateMarkdown(g: GateSummary): string {
  const regressions = g.comparisons.flatMap((c) => c.regressions.map((r) => `${c.scenario}/${c.target} ${r.metric} ${pct(r.result.change)} (p ${fmtP(r.result.pValue)})`));
  const breaches = g.budgets.filter((b) => !b.pass).map((b) => `${b.scenario}/${b.target} ${b.message}`);
  const status = regressions.length + breaches.length === 0 ? 'PASS' : 'FAIL';
  const parts = [
    `## Gate: ${status}`,
    '',
    ...(regressions.length > 0 ? [`Regressions: ${regressions.join('; ')}`, ''] : []),
    ...(breaches.length > 0 ? [`Budget breaches: ${breaches.join('; ')}`, ''] : []),
    ...(!g.compared ? ['Baseline comparison skipped (--no-compare).', ''] : []),
    ...(g.compared && g.missing.length > 0 ? [`No baseline for: ${g.missing.join(', ')} (save with \`proxylab baseline save\`).`, ''] : []),
    ...g.comparisons.map(comparisonMarkdown),
    budgetsMarkdown(g.budgets),
  ];
  return parts.join('\n');
}

const xml = (s: string): string => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/** JUnit XML: a test case per scenario × target × gate (the baseline comparison, each budget). */
export function gateJunit(g: GateSummary): string {
  const byScenario = new Map<string, string[]>();
  const add = (scenario: string, tc: string) => byScenario.set(scenario, [...(byScenario.get(scenario) ?? []), tc]);
  let failures = 0;
  for (const c of g.comparisons) {
    const name = `${c.target}: no regression vs baseline`;
    const v = targetVerdict(c);
    const detail = c.rows.map((r) => `${r.metric}: ${pct(r.result.change)} p=${fmtP(r.result.pValue)} ${r.result.verdict}${r.gated ? '' : ' (not gated)'}`).join('\n');
    if (v === 'regression') {
      failures++;
      const msg = c.regressions.map((r) => `${r.metric} ${pct(r.result.change)} (p ${fmtP(r.result.pValue)})`).join(', ');
      add(c.scenario, `    <testcase classname="proxylab.${xml(c.scenario)}" name="${xml(name)}"><failure message="regression: ${xml(msg)}">${xml(detail)}</failure></testcase>`);
    } else {
      add(c.scenario, `    <testcase classname="proxylab.${xml(c.scenario)}" name="${xml(name)}"><system-out>${xml(`${v}\n${detail}`)}</system-out></testcase>`);
    }
  }
  for (const pair of g.compared ? g.missing : []) {
    const [scenario, target] = pair.split('/') as [string, string];
    add(scenario, `    <testcase classname="proxylab.${xml(scenario)}" name="${xml(`${target}: no regression vs baseline`)}"><skipped message="no baseline saved"/></testcase>`);
  }
  for (const b of g.budgets) {
    const name = `${b.target}: budget ${b.budget.text}`;
    if (!b.pass) failures++;
    add(
      b.scenario,
      `    <testcase classname="proxylab.${xml(b.scenario)}" name="${xml(name)}">${b.pass ? `<system-out>${xml(b.message)}</system-out>` : `<failure message="${xml(`budget breach: ${b.message}`)}"/>`}</testcase>`,
    );
  }
  const suites = [...byScenario].map(([scenario, cases]) => {
    const f = cases.filter((c) => c.includes('<failure')).length;
    const skipped = cases.filter((c) => c.includes('<skipped')).length;
    return `  <testsuite name="${xml(scenario)}" tests="${cases.length}" failures="${f}" skipped="${skipped}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  const total = [...byScenario.values()].reduce((n, c) => n + c.length, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="proxylab" tests="${total}" failures="${failures}">\n${suites.join('\n')}\n</testsuites>\n`;
}

/** The compact terminal view: one line per target (gated metrics only), notes, budgets; full tables go to gate.md. */
export function gateTerminal(g: GateSummary): string {
  const failed = g.comparisons.some((c) => c.regressions.length > 0) || g.budgets.some((b) => !b.pass);
  const lines = [`Gate: ${failed ? 'FAIL' : 'PASS'}`];
  if (g.comparisons.length > 0) {
    const rows = g.comparisons.map((c) => [
      `${c.scenario}/${c.target}`,
      targetVerdict(c),
      c.mode,
      c.rows
        .filter((r) => r.gated)
        .map((r) => `${r.metric.replace(/^overhead\./, '')} ${pct(r.result.change)} (p ${fmtP(r.result.pValue)}, MDE ${mdeText(r.mde)})${r.result.verdict === 'worse' ? ' WORSE' : ''}`)
        .join('  ') || '(direct: not gated)',
    ]);
    const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows) lines.push(`  ${r[0]!.padEnd(w[0]!)}  ${r[1]!.padEnd(w[1]!)}  ${r[2]!.padEnd(w[2]!)}  ${r[3]}`);
    // A note shared by every target (say, how many runs the baselines pool) is printed once.
    const everywhere = (n: string): boolean => g.comparisons.length > 1 && g.comparisons.every((c) => c.notes.includes(n));
    for (const n of g.comparisons[0]!.notes.filter(everywhere)) lines.push(`  note: ${n}`);
    for (const c of g.comparisons) for (const n of c.notes.filter((x) => !everywhere(x))) lines.push(`  note ${c.scenario}/${c.target}: ${n}`);
  }
  if (!g.compared) lines.push('  baseline comparison skipped (--no-compare)');
  else if (g.missing.length > 0) lines.push(`  no baseline for: ${g.missing.join(', ')}`);
  for (const b of g.budgets) lines.push(`  budget ${b.scenario}/${b.target} ${b.budget.text}: ${b.pass ? 'pass' : 'BREACH'} (${b.message})`);
  return `${lines.join('\n')}\n`;
}
