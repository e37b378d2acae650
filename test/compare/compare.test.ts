// `proxylab compare` end to end with the built CLI: real origin, real proxies, short rounds. Nothing
// here depends on machine speed: the assertions are a ratio measured side by side in one run, the
// verdicts, exit codes and the files written. Needs dist/ and Debian's chromium.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompareOutcome } from '../../lab/compare/model.js';
import type { RunResult } from '../../lab/result/schema.js';
import { requireBuild, runCli, tempDir, writeScenario } from '../lab/helpers.js';
import { chartBoxes, openInChromium, type OpenPage } from '../fixtures/browser.js';

// direct: false keeps the runs short; 1-s rounds, the default 6 rounds per target.
const TINY = `name: tiny-compare
origin: { size: 1024 }
targets:
  - { name: edge, preset: optimized, flags: { async_logging: false } }
direct: false
requests:
  - { method: GET, path: /items/1 }
load: { connections: 16, duration_s: 1, warmup_s: 0.2 }
`;

const dir = tempDir('compare');
let scenario: string;

function outcome(out: string): CompareOutcome {
  return JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8')) as CompareOutcome;
}
const metric = (o: CompareOutcome, key: string) => o.metrics.find((m) => m.key === key)!;

beforeAll(() => {
  requireBuild();
  scenario = writeScenario(dir, 'tiny', TINY);
});

describe('proxylab compare', () => {
  const out = join(dir, 'ab');
  let run: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    run = await runCli(['compare', '--scenario', scenario, '--a', 'baseline', '--b', 'optimized', '--out', out]);
  }, 120_000);

  it('finds optimized at least 2x baseline rps (ratio of medians, one run) and says better', () => {
    expect(run.stderr).not.toMatch(/Error|proxylab:/);
    expect(run.code).toBe(0);
    const o = outcome(out);
    expect(o.rounds).toBe(6);
    const rps = metric(o, 'rps');
    expect(rps.n).toEqual([6, 6]);
    expect(rps.currentMedian / rps.baselineMedian).toBeGreaterThanOrEqual(2);
    // Round by round, optimized wins (nearly) every round, whatever the machine's load did meanwhile.
    expect(rps.paired!.rounds).toBe(6);
    expect(rps.paired!.bAhead).toBeGreaterThanOrEqual(5);
    // The verdict calls it better; or, when other load on a shared machine drifted the rounds' speed
    // so far that the unpaired test cannot, the report says exactly that instead of staying silent.
    // CPU per request (lower is better) reads the same way.
    for (const m of [rps, metric(o, 'cpu_us_per_req')]) {
      if (m.verdict === 'better') {
        expect(m.pValue).toBeLessThan(0.05);
        expect(m.change > 0).toBe(m.key === 'rps');
      } else {
        expect(m.verdict, m.key).toBe('no-difference');
        expect(o.notes.some((n) => n.startsWith(`${m.label}: B was better in`)), `${m.key}: drift note in ${o.notes.join(' | ')}`).toBe(true);
      }
    }
  });

  it('prints the verdict table and the report path; writes result.json, compare.md, compare.html', () => {
    expect(run.stdout).toMatch(/^rps\s+[\d,]+\s+[\d,]+\s+\+\d+%.*\s[56]\/6\s+(better|no detectable difference)\s*$/m);
    expect(run.stdout).toContain(join(out, 'compare.html'));
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult;
    expect(result.schema).toBe('proxylab/result');
    expect(result.scenarios[0]!.targets.map((t) => t.name)).toEqual(['a-baseline', 'b-optimized']);
    // Interleaved in alternating order: A B, B A, A B … (round by round, never two rounds of one side apart).
    const [a, b] = result.scenarios[0]!.targets;
    const order = a!.rounds
      .flatMap((r, i) => [{ side: 'A', at: r.started_at }, { side: 'B', at: b!.rounds[i]!.started_at }])
      .sort((x, y) => (x.at < y.at ? -1 : 1))
      .map((x) => x.side)
      .join('');
    expect(order).toBe('ABBAABBAABBA');
    const md = readFileSync(join(out, 'compare.md'), 'utf8');
    expect(md).toMatch(/^\| rps \| [\d,]+ \| [\d,]+ \| \+\d+% \| \\\[.*\\\] \| [\d.<]+ \| [56]\/6 \| (better|no detectable difference) \|$/m);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
  });

  describe('compare.html in headless Chromium', () => {
    let open: OpenPage;
    beforeAll(async () => {
      open = await openInChromium(join(out, 'compare.html'));
    });
    afterAll(async () => {
      await open?.browser.close();
    });

    it('renders every chart, no console errors, no requests but itself', async () => {
      expect(open.problems).toEqual([]);
      expect(open.requests).toEqual([open.url]);
      const charts = await chartBoxes(open.page);
      expect(charts.map((c) => c.chart)).toEqual(['compare-forest', 'rps-bars', 'p99-bars', 'round-throughput', 'latency-curve']);
      for (const c of charts) {
        expect(c.empty).toBe(false);
        expect(c.width).toBeGreaterThan(300);
        expect(c.height).toBeGreaterThan(150);
      }
      // One forest row per judged metric, each with a dot coloured by its verdict.
      const o = outcome(out);
      const rows = open.page.locator('svg[data-chart="compare-forest"] g[data-row]');
      expect(await rows.count()).toBe(o.metrics.length);
      expect(await open.page.locator('svg[data-chart="compare-forest"] g[data-row="rps"]').getAttribute('data-verdict')).toBe(metric(o, 'rps').verdict);
      expect(await open.page.locator('svg[data-chart="compare-forest"] circle').count()).toBe(o.metrics.filter((m) => Number.isFinite(m.change)).length);
      const verdictCells = await open.page.locator('td.verdict-better').count();
      expect(verdictCells).toBe(o.metrics.filter((m) => m.verdict === 'better').length);
    });
  });
});

describe('proxylab compare A/A', () => {
  it('finds no detectable difference between a target and itself on rps and p99', async () => {
    const out = join(dir, 'aa');
    // alpha 0.01: an A/A test at 0.05 would wrongly call a difference in about 1 run of 20 by design;
    // the test must not be that flaky. 6 against 6 rounds can still reach 0.01 (smallest p 0.002).
    const run = await runCli(['compare', '--scenario', scenario, '--a', 'optimized', '--b', 'optimized', '--alpha', '0.01', '--out', out]);
    expect(run.stderr).not.toMatch(/proxylab:/);
    expect(run.code).toBe(0);
    const o = outcome(out);
    expect(o.alpha).toBe(0.01);
    expect(o.a.name).not.toBe(o.b.name);
    for (const key of ['rps', 'p99_us']) expect(metric(o, key).verdict, key).toBe('no-difference');
    expect(run.stdout).toMatch(/^rps .*no detectable difference\s*$/m);
  }, 120_000);
});

describe('proxylab compare with bad input', () => {
  it('exits 2 naming the bad target or flag, before starting anything', async () => {
    const cases = [
      { args: ['--a', 'baseline', '--b', 'turbo'], needle: '--b "turbo": unknown target "turbo"' },
      { args: ['--a', 'optimized,zoom=off', '--b', 'baseline'], needle: '--a "optimized,zoom=off": zoom=off: unknown flag "zoom"' },
      { args: ['--a', 'baseline', '--b', 'optimized,pooling=maybe'], needle: '--b "optimized,pooling=maybe": pooling=maybe: value must be on or off' },
      // --a names a target of the scenario file: it resolves, and only --b is reported.
      { args: ['--a', 'edge', '--b', 'nginx'], needle: '--b "nginx": unknown target "nginx"; expected a target of' },
    ];
    const runs = await Promise.all(
      cases.map((c, i) => runCli(['compare', '--scenario', scenario, ...c.args, '--out', join(dir, `bad-${i}`)])),
    );
    runs.forEach((run, i) => {
      expect(run.code, cases[i]!.needle).toBe(2);
      expect(run.stderr).toContain(cases[i]!.needle);
      expect(existsSync(join(dir, `bad-${i}`))).toBe(false);
    });
    expect(runs[3]!.stderr).toContain('(have: edge)');
    expect(runs[3]!.stderr).not.toContain('--a');
  });
});
