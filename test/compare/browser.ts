// Open a generated page in Debian's headless Chromium (as test/report/html-browser.test.ts does) and
// collect what would mean a broken page: console errors or warnings, page errors, dialogs, and any
// request other than the page itself.
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface OpenPage {
  browser: Browser;
  page: Page;
  url: string;
  problems: string[];
  requests: string[];
}

export async function openInChromium(file: string): Promise<OpenPage> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('request', (r) => requests.push(r.url()));
  const url = pathToFileURL(file).href;
  await page.goto(url, { waitUntil: 'load' });
  return { browser, page, url, problems, requests };
}

/** Every chart on the page with its drawn size; a chart drawn at zero size is a broken chart. */
export async function chartBoxes(page: Page): Promise<Array<{ chart: string | null; width: number; height: number; empty: boolean }>> {
  return page.locator('svg[data-chart]').evaluateAll((svgs) =>
    svgs.map((s) => {
      const box = s.getBoundingClientRect();
      return { chart: s.getAttribute('data-chart'), width: box.width, height: box.height, empty: s.hasAttribute('data-empty') };
    }),
  );
}
