// lab/report: turn a RunResult into files a person reads. The run calls renderReports after
// writing result.json; `proxylab report DIR` calls loadResult + renderReports to re-render.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunResult } from '../result/schema.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { writeFileAtomic } from './write.js';

export { loadResult, checkResult } from './load.js';
export { renderMarkdown } from './markdown.js';
export { renderHtml } from './html.js';

export const REPORT_FILES = { markdown: 'report.md', html: 'report.html' } as const;

export async function renderReports(result: RunResult, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, REPORT_FILES.markdown), renderMarkdown(result));
  await writeFileAtomic(join(dir, REPORT_FILES.html), renderHtml(result));
}
