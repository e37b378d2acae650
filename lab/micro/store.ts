// Micro baselines: one versioned JSON file per suite, baselines/micro/<suite>.json, written
// atomically (temp file + rename). A missing, unreadable, corrupt or wrong-version file is a usage
// error (exit 2) that names the file and says what to do.
//
// Seam: this store and ./compare.ts are deliberately small and self-contained. When the lab's
// baseline store (lab/baseline/, issue 4) exists, micro results can move into it: the command only
// uses saveBaseline / loadBaseline and compareRun.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import type { Environment } from '../result/schema.js';
import type { MicroSuiteResult } from './run.js';

export const MICRO_BASELINE_SCHEMA = 'proxylab/micro-baseline';
export const MICRO_BASELINE_VERSION = 1;

export interface BaselineTask {
  case: string;
  impl: string;
  mean_ns: number;
  rme_pct: number;
  ops_per_s: number;
  samples: number;
}

export interface MicroBaseline {
  schema: typeof MICRO_BASELINE_SCHEMA;
  version: number;
  suite: string;
  saved_at: string;
  env: Environment;
  time_ms: number;
  tasks: BaselineTask[];
}

export function baselineFile(dir: string, suite: string): string {
  return join(dir, `${suite}.json`);
}

export function saveBaseline(dir: string, suite: MicroSuiteResult, env: Environment, time_ms: number): string {
  mkdirSync(dir, { recursive: true });
  const file = baselineFile(dir, suite.name);
  const baseline: MicroBaseline = {
    schema: MICRO_BASELINE_SCHEMA,
    version: MICRO_BASELINE_VERSION,
    suite: suite.name,
    saved_at: new Date().toISOString(),
    env,
    time_ms,
    tasks: suite.tasks.map((t) => ({ case: t.case, impl: t.impl, mean_ns: t.mean_ns, rme_pct: t.rme_pct, ops_per_s: t.ops_per_s, samples: t.samples })),
  };
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(baseline, null, 2)}\n`);
  renameSync(tmp, file);
  return file;
}

function invalid(file: string, reason: string): UsageError {
  return new UsageError('MICRO_BASELINE_INVALID', `${file}: ${reason}`);
}

export function loadBaseline(dir: string, suite: string): MicroBaseline {
  const file = baselineFile(dir, suite);
  if (!existsSync(file)) {
    throw new UsageError('MICRO_BASELINE_MISSING', `${file}: no baseline for suite "${suite}"; record one with \`proxylab micro --filter ${suite} --save\``);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw invalid(file, `not valid JSON (${error instanceof Error ? error.message : String(error)}); delete it and record a new one with --save`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid(file, 'a baseline must be a JSON object');
  const b = raw as Partial<MicroBaseline>;
  if (b.schema !== MICRO_BASELINE_SCHEMA) throw invalid(file, `schema: expected "${MICRO_BASELINE_SCHEMA}" (got ${JSON.stringify(b.schema)})`);
  if (b.version !== MICRO_BASELINE_VERSION) {
    throw invalid(file, `version: expected ${MICRO_BASELINE_VERSION} (got ${JSON.stringify(b.version)}); record a new baseline with --save`);
  }
  if (b.suite !== suite) throw invalid(file, `suite: expected "${suite}" (got ${JSON.stringify(b.suite)})`);
  if (!Array.isArray(b.tasks)) throw invalid(file, 'tasks: expected an array');
  b.tasks.forEach((t, i) => {
    const ok =
      typeof t === 'object' && t !== null && typeof t.case === 'string' && typeof t.impl === 'string' &&
      isPositive(t.mean_ns) && typeof t.rme_pct === 'number' && Number.isFinite(t.rme_pct) && t.rme_pct >= 0;
    if (!ok) throw invalid(file, `tasks[${i}]: expected {case, impl, mean_ns > 0, rme_pct ≥ 0} (got ${JSON.stringify(t)?.slice(0, 120)})`);
  });
  return b as MicroBaseline;
}

const isPositive = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n > 0;
