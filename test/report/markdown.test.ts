// report.md: one row per target whose cells carry the median over rounds, computed here from the
// generated rounds rather than read back from the summary the renderer uses.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderReports } from '../../lab/report/index.js';
import { makeResult, makeScenario, median } from './generate.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function render(result = makeResult()) {
  const dir = await mkdtemp(join(tmpdir(), 'proxylab-report-'));
  dirs.push(dir);
  await renderReports(result, dir);
  return { dir, md: await readFile(join(dir, 'report.md'), 'utf8') };
}

/** The markdown table following a bold title that starts with `title`. */
function tableAfter(md: string, title: string, occurrence = 0): { headers: string[]; rows: string[][] } {
  const lines = md.split('\n');
  const starts = lines.flatMap((l, i) => (l.startsWith(`**${title}`) ? [i] : []));
  const start = starts[occurrence];
  expect(start, `table "${title}" #${occurrence}`).toBeDefined();
  const block: string[] = [];
  for (const line of lines.slice(start! + 2)) {
    if (!line.startsWith('|')) break;
    block.push(line);
  }
  const cells = (line: string) => line.slice(2, -2).split(' | ');
  return { headers: cells(block[0]!), rows: block.slice(2).map(cells) };
}

/** "24,512 (23,900–25,100)" → 24512; "6.100" → 6.1; "–" → undefined. */
function medianOf(cell: string): number | undefined {
  if (cell === '–') return undefined;
  return Number(cell.split(' (')[0]!.replace(/,/g, '').replace(/ [KMG]?i?B$/, ''));
}

describe('report.md', () => {
  it('has one row per target with the median over rounds of each metric', async () => {
    const result = makeResult([makeScenario('small-get', { rounds: 5, seed: 3 })]);
    const { md } = await render(result);
    const scenario = result.scenarios[0]!;
    const table = tableAfter(md, 'Throughput and latency');
    expect(table.headers).toEqual(['target', 'rps', 'p50 ms', 'p90 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'errors']);
    expect(table.rows.map((r) => r[0])).toEqual(scenario.targets.map((t) => t.name));

    for (const [i, target] of scenario.targets.entries()) {
      const row = table.rows[i]!;
      const rounds = (f: (r: (typeof target.rounds)[number]) => number) => median(target.rounds.map(f));
      expect(medianOf(row[1]!)).toBe(Math.round(rounds((r) => r.metrics.rps!)));
      expect(medianOf(row[2]!)).toBeCloseTo(rounds((r) => r.latency_us.p50) / 1000, 3);
      expect(medianOf(row[4]!)).toBeCloseTo(rounds((r) => r.latency_us.p99) / 1000, 2);
      // Rounds differ, so the spread is shown.
      expect(row[1]).toMatch(/^[\d,]+ \([\d,]+–[\d,]+\)$/);
    }
  });

  it('prints – for metrics a target cannot report, and the overhead of each proxy vs direct', async () => {
    const { md } = await render();
    const cost = tableAfter(md, 'Cost in the target process');
    const direct = cost.rows.find((r) => r[0] === 'direct')!;
    expect(direct.slice(1).every((c) => c === '–')).toBe(true);
    const baseline = cost.rows.find((r) => r[0] === 'baseline')!;
    expect(medianOf(baseline[1]!)).toBeGreaterThan(100); // CPU µs/req near the generated 118
    expect(baseline[2]).toMatch(/KiB/);

    const overhead = tableAfter(md, 'Overhead vs direct');
    expect(overhead.rows.map((r) => r[0])).toEqual(['baseline', 'optimized']);
    expect(overhead.rows[0]![1]).toMatch(/^0\.1\d\d×$/); // 7.6k / 41k rps
    expect(md).toContain('optimized: the load driver was saturated');
    expect(md).toContain('- **git commit**: f96d3d3');
    expect(md).toContain('- **cores**: 2');
  });

  it('escapes user-supplied names so they cannot break a table', async () => {
    const scenario = makeScenario('s', { rounds: 2 });
    scenario.targets[1]!.name = 'base|line <b>x</b>';
    const { md } = await render(makeResult([scenario]));
    const table = tableAfter(md, 'Throughput and latency');
    expect(table.rows.every((r) => r.length === table.headers.length)).toBe(true);
    expect(md).toContain('base\\|line &lt;b&gt;x&lt;/b&gt;');
    expect(md).not.toContain('<b>');
  });

  it('renders a scenario with nothing measured (no rounds, no curve) as – and empty charts', async () => {
    const scenario = makeScenario('aborted', { rounds: 1 });
    for (const t of scenario.targets) Object.assign(t, { rounds: [], summary: {}, latency_curve: [], overhead: undefined });
    const { dir, md } = await render(makeResult([scenario]));
    const table = tableAfter(md, 'Throughput and latency');
    expect(table.rows.map((r) => r.slice(1).every((c) => c === '–'))).toEqual([true, true, true]);
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    expect(html.match(/data-empty="true"/g)).toHaveLength(4);
  });

  it('writes both files atomically, leaving no temp files behind', async () => {
    const { dir } = await render();
    expect((await readdir(dir)).sort()).toEqual(['report.html', 'report.md']);
  });
});
