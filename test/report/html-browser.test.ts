// report.html in a real browser: every chart draws the series and bars the result holds, the page
// loads nothing from the network, and it logs no errors. Needs Debian's chromium (.ci/run installs it).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReports } from '../../lab/report/index.js';
import { makeResult, makeScenario } from './generate.js';
import { openInChromium } from '../fixtures/browser.js';

const HOSTILE = 'slow <script>alert(1)</script> & "quotes"';

const result = makeResult([
  makeScenario('small-get', { rounds: 5, seed: 11 }),
  makeScenario(HOSTILE, { rounds: 3, seed: 12 }),
]);

let dir: string;
let browser: Browser;
let page: Page;
let problems: string[] = [];
let requests: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'proxylab-html-'));
  await renderReports(result, dir);
  ({ browser, page, problems, requests } = await openInChromium(join(dir, 'report.html')));
});

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('report.html in headless Chromium', () => {
  it('loads with no console errors, no page errors and no requests but itself', async () => {
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(join(dir, 'report.html')).href]);
    // For a person to look at ($TMPDIR/proxylab-report*.png); not asserted.
    await page.screenshot({ path: join(tmpdir(), 'proxylab-report.png'), fullPage: true });
    await page.locator('.charts').first().screenshot({ path: join(tmpdir(), 'proxylab-report-charts.png') });
  });

  it('shows user-supplied names as text, never as markup', async () => {
    expect(await page.locator('script').count()).toBe(0);
    const sections = page.locator('section[data-scenario]');
    expect(await sections.nth(1).getAttribute('data-scenario')).toBe(HOSTILE);
    expect(await sections.nth(1).locator('h2').textContent()).toBe(HOSTILE);
  });

  for (const [index, scenario] of result.scenarios.entries()) {
    const names = scenario.targets.map((t) => t.name);

    describe(`scenario ${index + 1}`, () => {
      const section = () => page.locator('section[data-scenario]').nth(index);

      it('draws every chart at a visible size', async () => {
        const charts = section().locator('svg[data-chart]');
        expect(await charts.evaluateAll((svgs) => svgs.map((s) => s.getAttribute('data-chart')))).toEqual([
          'latency-curve',
          'round-throughput',
          'rps-bars',
          'p99-bars',
        ]);
        for (const box of await charts.evaluateAll((svgs) => svgs.map((s) => s.getBoundingClientRect().toJSON() as DOMRect))) {
          expect(box.width).toBeGreaterThan(300);
          expect(box.height).toBeGreaterThan(150);
        }
        expect(await section().locator('svg[data-empty]').count()).toBe(0);
      });

      it('latency curve: one non-empty line per target across the percentile axis', async () => {
        const curves = await section()
          .locator('svg[data-chart="latency-curve"] path[data-series]')
          .evaluateAll((paths) =>
            (paths as SVGPathElement[]).map((p) => ({ name: p.getAttribute('data-series'), length: p.getTotalLength(), width: p.getBBox().width })),
          );
        expect(curves.map((c) => c.name)).toEqual(names);
        for (const c of curves) {
          expect(c.length).toBeGreaterThan(100);
          // From p50 at the left edge to p99.999 at the right: most of the 560-unit-wide plot.
          expect(c.width).toBeGreaterThan(400);
        }
      });

      it('per-round throughput: one series per target with a point per round', async () => {
        const series = await section()
          .locator('svg[data-chart="round-throughput"] g[data-series]')
          .evaluateAll((gs) => gs.map((g) => ({ name: g.getAttribute('data-series'), points: g.querySelectorAll('circle').length })));
        expect(series).toEqual(names.map((name) => ({ name, points: scenario.rounds })));
      });

      for (const [chart, metric] of [
        ['rps-bars', 'rps'],
        ['p99-bars', 'p99_us'],
      ] as const) {
        it(`${chart}: a bar per target, heights ordered like the medians, with whiskers`, async () => {
          const svg = section().locator(`svg[data-chart="${chart}"]`);
          const bars = await svg
            .locator('rect[data-bar]')
            .evaluateAll((rects) => (rects as SVGRectElement[]).map((r) => ({ name: r.getAttribute('data-bar'), height: r.getBBox().height })));
          expect(bars.map((b) => b.name)).toEqual(names);
          for (const b of bars) expect(b.height).toBeGreaterThan(1);
          const medians = scenario.targets.map((t) => t.summary[metric]!.median);
          const byHeight = [...bars].sort((a, b) => a.height - b.height).map((b) => b.name);
          const byMedian = names.map((n, i) => ({ n, m: medians[i]! })).sort((a, b) => a.m - b.m).map((x) => x.n);
          expect(byHeight).toEqual(byMedian);
          expect(await svg.locator('g[data-whisker] line').count()).toBe(names.length * 3);
        });
      }

      it('has the same tables as report.md, one row per target', async () => {
        const rows = await section()
          .locator('table')
          .evaluateAll((tables) => tables.map((t) => [...t.querySelectorAll('tbody tr')].map((tr) => tr.querySelector('th')?.textContent)));
        expect(rows).toEqual([names, names, names.filter((n) => n !== 'direct')]);
      });
    });
  }
});
