// Run micro suites with tinybench. tinybench times every call on its own, and for operations of a
// few nanoseconds the timer would dominate, so each sample is a batch of calls sized to take about
// BATCH_TARGET_NS, reported per call (overriddenDuration): mean, p99 and the relative margin of
// error are over batch means. Ratios are taken against the case's first (reference) implementation.
import { Bench, type Statistics } from 'tinybench';
import type { Environment } from '../result/schema.js';
import type { MicroImpl, MicroSuite } from './suites.js';

export const MICRO_RESULT_VERSION = 1;
const BATCH_TARGET_NS = 20_000;
const MAX_BATCH = 1 << 16;

export interface MicroTaskResult {
  case: string;
  impl: string;
  /** The case's first implementation, which the others are compared with. */
  reference: boolean;
  ops_per_s: number;
  mean_ns: number;
  p50_ns: number;
  p99_ns: number;
  /** tinybench's relative margin of error of the mean (95 %), in percent */
  rme_pct: number;
  samples: number;
  /** calls per sample */
  batch: number;
  /** this implementation's ops/s over the reference's (> 1: faster); absent on the reference */
  ratio?: number;
}

export interface MicroSuiteResult {
  name: string;
  flag?: string;
  description: string;
  tasks: MicroTaskResult[];
}

export interface MicroRun {
  schema: 'proxylab/micro-result';
  version: number;
  started_at: string;
  env: Environment;
  time_ms: number;
  suites: MicroSuiteResult[];
}

/** Kept so the benchmarked calls' results are observable and not dead code. */
let sink: unknown;
export const lastSink = (): unknown => sink;

function timeBatch(fn: () => unknown, n: number): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sink = fn();
  return Number(process.hrtime.bigint() - t0);
}

/** Calls per sample so that one sample takes about BATCH_TARGET_NS. Also a first warm-up. */
export function calibrateBatch(fn: () => unknown): number {
  for (let n = 1; ; n *= 2) {
    const ns = timeBatch(fn, n);
    if (ns >= BATCH_TARGET_NS || n >= MAX_BATCH) return Math.min(MAX_BATCH, Math.max(1, Math.round((n * BATCH_TARGET_NS) / Math.max(ns, 1))));
  }
}

function batched(impl: MicroImpl, batch: number) {
  return () => {
    const ns = timeBatch(impl.fn, batch);
    return { overriddenDuration: ns / 1e6 / batch, overriddenIterationCost: ns / 1e6 };
  };
}

export interface RunSuiteOptions {
  /** measured time per implementation, ms */
  time_ms: number;
  onTask?: (suite: string, caseName: string, impl: string) => void;
}

export async function runSuite(suite: MicroSuite, opts: RunSuiteOptions): Promise<MicroSuiteResult> {
  const tasks: MicroTaskResult[] = [];
  for (const c of suite.cases()) {
    const stats: Array<{ impl: MicroImpl; batch: number; latency: Statistics }> = [];
    for (const impl of c.impls) {
      opts.onTask?.(suite.name, c.name, impl.name);
      const batch = calibrateBatch(impl.fn);
      // One bench per implementation keeps the task names simple and the runs strictly sequential.
      const bench = new Bench({ time: opts.time_ms, warmupTime: Math.min(200, Math.max(10, opts.time_ms / 4)), throws: true });
      bench.add(impl.name, batched(impl, batch), {
        async: false,
        ...(impl.settle ? { afterEach: impl.settle } : {}),
      });
      await bench.run();
      const result = bench.tasks[0]!.result;
      if (result.state !== 'completed') {
        throw new Error(`micro ${suite.name}/${c.name}/${impl.name}: ${result.state === 'errored' ? result.error.message : result.state}`);
      }
      stats.push({ impl, batch, latency: result.latency });
    }
    const refOps = 1e3 / stats[0]!.latency.mean;
    stats.forEach(({ impl, batch, latency }, i) => {
      const ops = 1e3 / latency.mean;
      tasks.push({
        case: c.name,
        impl: impl.name,
        reference: i === 0,
        ops_per_s: Math.round(ops),
        mean_ns: round3(latency.mean * 1e6),
        p50_ns: round3(latency.p50 * 1e6),
        p99_ns: round3(latency.p99 * 1e6),
        rme_pct: round3(latency.rme),
        samples: latency.samplesCount,
        batch,
        ...(i === 0 ? {} : { ratio: round3(ops / refOps) }),
      });
    });
  }
  return { name: suite.name, ...(suite.flag ? { flag: suite.flag } : {}), description: suite.description, tasks };
}

const round3 = (n: number): number => Math.round(n * 1000) / 1000;
