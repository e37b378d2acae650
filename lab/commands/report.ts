// `proxylab report DIR`: re-render report.md and report.html from DIR/result.json, e.g. after
// the report code changed or when a result.json was copied from another machine.
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadResult, renderReports, REPORT_FILES } from '../report/index.js';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('re-render report.md and report.html from DIR/result.json')
    .argument('<dir>', 'a run folder, e.g. reports/<run-id>')
    .action(async (dir: string) => {
      const result = await loadResult(join(dir, 'result.json'));
      await renderReports(result, dir);
      process.stdout.write(`${join(dir, REPORT_FILES.markdown)}\n${join(dir, REPORT_FILES.html)}\n`);
    });
}
