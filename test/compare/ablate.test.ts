// `proxylab ablate` end to end on a tiny scenario with two flags: six real proxies interleaved, the
// report files, one row per flag, and ablate.html in headless Chromium. No timing assertions.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AblationOutcome } from '../../lab/ablate/render.js';
import type { RunResult } from '../../lab/result/schema.js';
import { requireBuild, runCli, tempDir, writeScenario } from '../lab/helpers.js';
import { chartBoxes, openInChromium, type OpenPage } from '../fixtures/browser.js';

const TINY = `name: tiny-ablate
origin: { size: 1024 }
# Not run by ablate (it builds its own targets); the loader wants something to measure.
targets:
  - { name: edge, preset: optimized }
direct: false
requests:
  - { method: GET, path: /items/1 }
load: { connections: 8, duration_s: 1, warmup_s: 0.2 }
`;
const FLAGS = ['pooling', 'raw_headers'];
const TARGETS = ['baseline', 'optimized', 'baseline+pooling', 'optimized-pooling', 'baseline+raw_headers', 'optimized-raw_headers'];

const dir = tempDir('ablate');
const out = join(dir, 'run');
let run: Awaited<ReturnType<typeof runCli>>;
let outcome: AblationOutcome;

beforeAll(async () => {
  requireBuild();
  const scenario = writeScenario(dir, 'tiny', TINY);
  // 2 rounds: this checks the plumbing, not the statistics (compare.test.ts does those).
  run = await runCli(['ablate', '--scenario', scenario, '--flags', FLAGS.join(','), '--rounds', '2', '--out', out]);
  if (existsSync(join(out, 'ablate.json'))) outcome = JSON.parse(readFileSync(join(out, 'ablate.json'), 'utf8')) as AblationOutcome;
}, 120_000);

describe('proxylab ablate --flags pooling,raw_headers', () => {
  it('runs baseline, optimized and per flag baseline+flag and optimized−flag, interleaved', () => {
    expect(run.stderr).not.toMatch(/proxylab:/);
    expect(run.code).toBe(0);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult;
    const targets = result.scenarios[0]!.targets;
    expect(targets.map((t) => t.name)).toEqual(TARGETS);
    expect(targets.find((t) => t.name === 'baseline+pooling')!.flags).toEqual({ pooling: true });
    expect(targets.find((t) => t.name === 'optimized-raw_headers')!.flags).toEqual({ raw_headers: false });
    // Round 1 of every target before round 2 of any.
    const lastFirst = Math.max(...targets.map((t) => Date.parse(t.rounds[0]!.started_at)));
    const firstSecond = Math.min(...targets.map((t) => Date.parse(t.rounds[1]!.started_at)));
    expect(lastFirst).toBeLessThanOrEqual(firstSecond);
  });

  it('writes ablate.json, ablate.md and ablate.html with one row per flag', () => {
    for (const f of ['ablate.json', 'ablate.md', 'ablate.html', 'result.json']) expect(existsSync(join(out, f)), f).toBe(true);
    expect(outcome.flags.map((f) => f.flag)).toEqual(FLAGS);
    for (const f of outcome.flags) {
      expect(f.effects.map((e) => e.key)).toEqual(['rps', 'p99_us', 'cpu_us_per_req', 'alloc_bytes_per_req']);
      for (const e of f.effects) {
        expect(e.alone?.n).toEqual([2, 2]);
        expect(e.without?.n).toEqual([2, 2]);
      }
    }
    // With 2 rounds a side no p-value can reach 0.05, and the report says so instead of guessing.
    expect(outcome.smallest_p).toBeGreaterThanOrEqual(0.05);
    expect(outcome.notes.join('\n')).toContain('no verdict can be reached');
    const md = readFileSync(join(out, 'ablate.md'), 'utf8');
    for (const flag of FLAGS) expect(md.split('\n').filter((l) => l.startsWith(`| ${flag.replace('_', '\\_')} |`))).toHaveLength(1);
    expect(md).toMatch(/^\| all \(optimized vs baseline\) \|/m);
    const table = run.stdout.split('\n');
    for (const flag of FLAGS) expect(table.filter((l) => new RegExp(`^${flag}\\s+[+−]`).test(l)), flag).toHaveLength(1);
    expect(run.stdout).toContain(join(out, 'ablate.html'));
  });
});

describe('ablate.html in headless Chromium', () => {
  let open: OpenPage;
  beforeAll(async () => {
    open = await openInChromium(join(out, 'ablate.html'));
  });
  afterAll(async () => {
    await open?.browser.close();
  });

  it('renders a forest plot per metric with two rows per flag, and the flag table, without errors', async () => {
    expect(open.problems).toEqual([]);
    expect(open.requests).toEqual([open.url]);
    const charts = await chartBoxes(open.page);
    expect(charts.map((c) => c.chart)).toEqual(['ablate-rps', 'ablate-p99_us', 'ablate-cpu_us_per_req', 'ablate-alloc_bytes_per_req', 'rps-bars']);
    for (const c of charts) {
      expect(c.empty).toBe(false);
      expect(c.width).toBeGreaterThan(300);
      expect(c.height).toBeGreaterThan(100);
    }
    for (const chart of ['ablate-rps', 'ablate-cpu_us_per_req']) {
      const rows = await open.page.locator(`svg[data-chart="${chart}"] g[data-row]`).evaluateAll((gs) => gs.map((g) => g.getAttribute('data-row')));
      expect(rows).toEqual(['pooling alone', 'pooling without', 'raw_headers alone', 'raw_headers without']);
    }
    expect(await open.page.locator('svg[data-chart="rps-bars"] rect[data-bar]').count()).toBe(TARGETS.length);
    const firstTable = await open.page.locator('table').first().evaluate((t) => [...t.querySelectorAll('tbody tr th')].map((th) => th.textContent));
    expect(firstTable).toEqual([...FLAGS, 'all (optimized vs baseline)']);
    expect(await open.page.locator('li[data-flag]').count()).toBe(FLAGS.length);
  });
});
