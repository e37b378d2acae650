// Budgets: absolute gates per target, k6-style, written in scenario files as short expressions:
//   "p99 < 5ms", "rps > 20000", "errors == 0", "allocPerRequest < 4KiB", "overhead.p99 < 1.5x".
// Parsed once at load (a typo is exit 2 naming the field); evaluated after the run by lab/gate.
import type { MetricKey } from '../result/schema.js';

export type BudgetOp = '<' | '<=' | '>' | '>=' | '==';
export type Unit = 'us' | 'bytes' | 'count' | 'rps' | 'ratio' | 'plain';

/** What a budget reads: a per-round metric of the target, or a same-round ratio against direct. */
export type BudgetSubject = { kind: 'metric'; key: MetricKey } | { kind: 'overhead'; key: 'p50' | 'p99' | 'rps' };

export interface Budget {
  text: string;
  /** the metric as written, e.g. "p99" or "overhead.p99" */
  name: string;
  subject: BudgetSubject;
  op: BudgetOp;
  limit: number;
  unit: Unit;
}

// Friendly names (as in the issue) and the result's own keys both work.
const ALIASES: Record<string, { key: MetricKey; unit: Unit }> = {
  p50: { key: 'p50_us', unit: 'us' },
  p90: { key: 'p90_us', unit: 'us' },
  p99: { key: 'p99_us', unit: 'us' },
  p999: { key: 'p999_us', unit: 'us' },
  max: { key: 'max_us', unit: 'us' },
  rps: { key: 'rps', unit: 'rps' },
  bytesPerSecond: { key: 'bytes_per_s', unit: 'bytes' },
  errors: { key: 'errors', unit: 'count' },
  non2xx: { key: 'non2xx', unit: 'count' },
  timeouts: { key: 'timeouts', unit: 'count' },
  cpuPerRequest: { key: 'cpu_us_per_req', unit: 'us' },
  allocPerRequest: { key: 'alloc_bytes_per_req', unit: 'bytes' },
  gcPer1k: { key: 'gc_per_1k', unit: 'plain' },
  gcPausePer1k: { key: 'gc_pause_us_per_1k', unit: 'us' },
  peakRss: { key: 'peak_rss_bytes', unit: 'bytes' },
  eventLoopDelayP99: { key: 'el_delay_p99_us', unit: 'us' },
};
const KEY_UNITS: Record<MetricKey, Unit> = {
  rps: 'rps', bytes_per_s: 'bytes', p50_us: 'us', p90_us: 'us', p99_us: 'us', p999_us: 'us', max_us: 'us',
  errors: 'count', non2xx: 'count', timeouts: 'count', cpu_us_per_req: 'us', alloc_bytes_per_req: 'bytes',
  gc_per_1k: 'plain', gc_pause_us_per_1k: 'us', peak_rss_bytes: 'bytes', el_delay_p99_us: 'us',
};

const SCALE: Record<Unit, Record<string, number>> = {
  us: { '': 1, us: 1, 'µs': 1, ms: 1000, s: 1_000_000 },
  bytes: { '': 1, b: 1, kb: 1000, kib: 1024, mb: 1e6, mib: 1024 * 1024, gb: 1e9, gib: 1024 ** 3 },
  count: { '': 1 },
  rps: { '': 1, k: 1000 },
  ratio: { '': 1, x: 1 },
  plain: { '': 1 },
};

export const BUDGET_NAMES = [...Object.keys(ALIASES), ...Object.keys(KEY_UNITS), 'overhead.p50', 'overhead.p99', 'overhead.rps'];

export class BudgetSyntaxError extends Error {}

export function parseBudget(text: string): Budget {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(<=|>=|==|<|>)\s*([0-9]*\.?[0-9]+(?:e[+-]?\d+)?)\s*([A-Za-zµ]*)\s*$/.exec(text);
  if (!m) throw new BudgetSyntaxError('expected "<metric> <op> <value>[unit]", e.g. "p99 < 5ms" (ops: < <= > >= ==)');
  const [, name, op, num, rawUnit] = m as unknown as [string, string, BudgetOp, string, string];
  let subject: BudgetSubject;
  let unit: Unit;
  if (name.startsWith('overhead.')) {
    const key = name.slice('overhead.'.length);
    if (key !== 'p50' && key !== 'p99' && key !== 'rps') throw new BudgetSyntaxError(`unknown overhead metric "${name}" (known: overhead.p50, overhead.p99, overhead.rps)`);
    subject = { kind: 'overhead', key };
    unit = 'ratio';
  } else {
    const alias = ALIASES[name];
    const key = alias?.key ?? (name in KEY_UNITS ? (name as MetricKey) : undefined);
    if (!key) throw new BudgetSyntaxError(`unknown metric "${name}" (known: ${BUDGET_NAMES.join(', ')})`);
    subject = { kind: 'metric', key };
    unit = alias?.unit ?? KEY_UNITS[key];
  }
  const scale = SCALE[unit][rawUnit.toLowerCase()] ?? SCALE[unit][rawUnit];
  if (scale === undefined) {
    throw new BudgetSyntaxError(`unit "${rawUnit}" does not fit ${name} (use ${Object.keys(SCALE[unit]).filter(Boolean).join(', ') || 'a plain number'})`);
  }
  return { text: text.trim(), name, subject, op, limit: Number(num) * scale, unit };
}

export function budgetHolds(op: BudgetOp, observed: number, limit: number): boolean {
  switch (op) {
    case '<': return observed < limit;
    case '<=': return observed <= limit;
    case '>': return observed > limit;
    case '>=': return observed >= limit;
    case '==': return observed === limit;
  }
}
