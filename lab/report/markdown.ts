// report.md: the provenance header, then per scenario its tables and notes.
import type { RunResult } from '../result/schema.js';
import { escapeMarkdown as md } from './escape.js';
import { describeDriver, provenance, scenarioNotes, scenarioTables, type Table } from './model.js';

function renderTable(table: Table): string[] {
  const line = (cells: string[]) => `| ${cells.map(md).join(' | ')} |`;
  // Target names left, numbers right-aligned so digits line up.
  const align = table.headers.map((_, i) => (i === 0 ? ':---' : '---:'));
  return [`**${md(table.title)}**`, '', line(table.headers), `| ${align.join(' | ')} |`, ...table.rows.map(line), ''];
}

export function renderMarkdown(result: RunResult): string {
  const out: string[] = [`# proxylab report: ${md(result.run_id)}`, ''];
  for (const [label, value] of provenance(result)) out.push(`- **${md(label)}**: ${md(value)}`);
  out.push('');
  for (const scenario of result.scenarios) {
    out.push(`## ${md(scenario.name)}`, '');
    if (scenario.description) out.push(md(scenario.description), '');
    out.push(`- **scenario file**: ${md(scenario.file)}`, `- **driver**: ${md(describeDriver(scenario.driver))}, ${scenario.rounds} rounds`, '');
    for (const table of scenarioTables(scenario)) out.push(...renderTable(table));
    const notes = scenarioNotes(scenario);
    if (notes.length > 0) out.push('**Notes**', '', ...notes.map((n) => `- ${md(n)}`), '');
  }
  return out.join('\n');
}
