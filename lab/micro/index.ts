// `proxylab micro`: pick suites, run them, print the table, optionally write JSON, compare with and
// save baselines. Exit codes: 0 done, 1 a regression against a baseline, 2 bad arguments or a bad
// baseline file.
import { dirname, resolve, join } from 'node:path';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { EXIT, LabError, UsageError } from '../errors.js';
import { environment } from '../run/env.js';
import { REPO_ROOT } from '../scenario/load.js';
import { SUITES, type MicroSuite } from './suites.js';
import { MICRO_RESULT_VERSION, runSuite, type MicroRun } from './run.js';
import { loadBaseline, saveBaseline, type MicroBaseline } from './store.js';
import { compareSuite, type TaskComparison } from './compare.js';
import { formatMicroTable } from './table.js';

export const DEFAULT_BASELINE_DIR = join(REPO_ROOT, 'baselines', 'micro');
export const DEFAULT_TIME_MS = 500;

export interface MicroOptions {
  filter?: string[];
  time?: number;
  save?: boolean;
  compare?: boolean;
  json?: string;
  baselineDir?: string;
}

/** Suites whose name contains any of the filters (comma-separated or repeated). */
export function selectSuites(filters: string[] | undefined): MicroSuite[] {
  const wanted = (filters ?? []).flatMap((f) => f.split(',')).map((f) => f.trim().toLowerCase()).filter(Boolean);
  if (wanted.length === 0) return [...SUITES];
  const chosen = SUITES.filter((s) => wanted.some((w) => s.name.includes(w)));
  if (chosen.length === 0) {
    throw new UsageError('MICRO_FILTER', `--filter ${wanted.join(',')}: matches no suite (suites: ${SUITES.map((s) => s.name).join(', ')})`);
  }
  return chosen;
}

export async function runMicro(opts: MicroOptions): Promise<{ run: MicroRun; comparisons: TaskComparison[] }> {
  const suites = selectSuites(opts.filter);
  const time_ms = opts.time ?? DEFAULT_TIME_MS;
  const dir = resolve(opts.baselineDir ?? DEFAULT_BASELINE_DIR);
  // Read every baseline before measuring anything: a bad file fails in milliseconds.
  const baselines = new Map<string, MicroBaseline>();
  if (opts.compare) for (const s of suites) baselines.set(s.name, loadBaseline(dir, s.name));

  const env = environment();
  const run: MicroRun = { schema: 'proxylab/micro-result', version: MICRO_RESULT_VERSION, started_at: new Date().toISOString(), env, time_ms, suites: [] };
  const tty = process.stderr.isTTY;
  for (const suite of suites) {
    run.suites.push(
      await runSuite(suite, {
        time_ms,
        onTask: (s, c, impl) => {
          if (tty) process.stderr.write(`\r\x1b[K${s} / ${c} / ${impl} …`);
        },
      }),
    );
  }
  if (tty) process.stderr.write('\r\x1b[K');

  const comparisons: TaskComparison[] = [];
  for (const suite of run.suites) {
    const baseline = baselines.get(suite.name);
    if (!baseline) continue;
    comparisons.push(...compareSuite(suite, baseline));
    const notes = fingerprintNotes(baseline, run);
    if (notes) process.stderr.write(`proxylab micro: ${suite.name}: baseline recorded ${notes}; the comparison may reflect the machine, not the code\n`);
  }

  process.stdout.write(formatMicroTable(run, comparisons));
  if (opts.json) {
    const file = resolve(opts.json);
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ ...run, ...(comparisons.length > 0 ? { comparisons } : {}) }, null, 2)}\n`);
    renameSync(tmp, file);
    process.stdout.write(`${file}\n`);
  }
  const regressions = comparisons.filter((c) => c.verdict === 'regression');
  if (regressions.length > 0) {
    throw new LabError(
      'MICRO_REGRESSION',
      `${regressions.length} regression(s) against the baseline: ${regressions.map((r) => `${r.suite}/${r.case}/${r.impl} ×${r.time_ratio}`).join('; ')}`,
      EXIT.regression,
    );
  }
  // With --compare too, a baseline is only replaced by a run that did not regress.
  if (opts.save) {
    for (const suite of run.suites) process.stdout.write(`saved ${saveBaseline(dir, suite, env, time_ms)}\n`);
  }
  return { run, comparisons };
}

function fingerprintNotes(baseline: MicroBaseline, run: MicroRun): string | undefined {
  const diffs: string[] = [];
  if (baseline.env?.cpu_model !== run.env.cpu_model) diffs.push(`on CPU "${baseline.env?.cpu_model}"`);
  if (baseline.env?.node !== run.env.node) diffs.push(`with Node ${baseline.env?.node}`);
  if (baseline.time_ms !== run.time_ms) diffs.push(`with --time ${baseline.time_ms}`);
  return diffs.length > 0 ? diffs.join(', ') : undefined;
}
