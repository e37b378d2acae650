// Read the proxy's /metrics (Prometheus text format) into per-variant counters: requests, 5xx
// answers and the cumulative request-duration buckets, summed over routes. Two scrapes make a delta;
// a delta's buckets give a quantile estimate, interpolated within the bucket as Prometheus's
// histogram_quantile does.
import { CATALOGUE } from '../../proxy/metrics/catalogue.js';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parsePrometheus(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_s, c: string) => (c === 'n' ? '\n' : c));
    const value = m[3] === '+Inf' ? Infinity : Number(m[3]);
    out.push({ name: m[1]!, labels, value });
  }
  return out;
}

export interface VariantCounts {
  requests: number;
  /** 5xx answers */
  errors: number;
  /** cumulative counts by upper bound (seconds), ascending, ending with +Inf */
  buckets: Array<[number, number]>;
}

export type VariantTable = Map<string, VariantCounts>;

const BUCKET = `${CATALOGUE.requestDuration.name}_bucket`;

export function variantCounts(samples: Sample[]): VariantTable {
  const table: VariantTable = new Map();
  const of = (variant: string): VariantCounts => {
    let v = table.get(variant);
    if (!v) table.set(variant, (v = { requests: 0, errors: 0, buckets: [] }));
    return v;
  };
  const buckets = new Map<string, Map<number, number>>();
  for (const s of samples) {
    const variant = s.labels['variant'];
    if (variant === undefined) continue;
    if (s.name === CATALOGUE.requests.name) {
      const v = of(variant);
      v.requests += s.value;
      const status = Number(s.labels['status']);
      if (status >= 500 && status < 600) v.errors += s.value;
    } else if (s.name === BUCKET) {
      of(variant);
      const le = s.labels['le'] === '+Inf' ? Infinity : Number(s.labels['le']);
      const byLe = buckets.get(variant) ?? new Map<number, number>();
      byLe.set(le, (byLe.get(le) ?? 0) + s.value);
      buckets.set(variant, byLe);
    }
  }
  for (const [variant, byLe] of buckets) of(variant).buckets = [...byLe.entries()].sort((a, b) => a[0] - b[0]);
  return table;
}

/** later − earlier, per variant (a variant missing earlier counts from zero). */
export function delta(earlier: VariantTable, later: VariantTable): VariantTable {
  const out: VariantTable = new Map();
  for (const [variant, now] of later) {
    const before = earlier.get(variant);
    const beforeBuckets = new Map(before?.buckets ?? []);
    out.set(variant, {
      requests: now.requests - (before?.requests ?? 0),
      errors: now.errors - (before?.errors ?? 0),
      buckets: now.buckets.map(([le, count]) => [le, count - (beforeBuckets.get(le) ?? 0)]),
    });
  }
  return out;
}

/** The q-quantile (0-1) in seconds from cumulative buckets; undefined with no observations. */
export function quantile(buckets: Array<[number, number]>, q: number): number | undefined {
  const total = buckets.at(-1)?.[1] ?? 0;
  if (total <= 0) return undefined;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const [le, count] of buckets) {
    if (count >= rank) {
      // In the +Inf bucket there is no upper bound to interpolate to: report the last finite one.
      if (le === Infinity) return lower;
      const inBucket = count - below;
      return inBucket <= 0 ? le : lower + (le - lower) * ((rank - below) / inBucket);
    }
    lower = le;
    below = count;
  }
  return lower;
}

/** Both variants together: what the process as a whole served. */
export function combined(...parts: Array<VariantCounts | undefined>): VariantCounts {
  const out: VariantCounts = { requests: 0, errors: 0, buckets: [] };
  const byLe = new Map<number, number>();
  for (const c of parts) {
    if (!c) continue;
    out.requests += c.requests;
    out.errors += c.errors;
    for (const [le, n] of c.buckets) byLe.set(le, (byLe.get(le) ?? 0) + n);
  }
  out.buckets = [...byLe.entries()].sort((a, b) => a[0] - b[0]);
  return out;
}
