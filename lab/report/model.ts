// The report's content as plain text tables, independent of output format. report.md and
// report.html render the same model, so they cannot disagree; junit/CI summaries can reuse it.
import type { MetricKey, MetricSummary, RunResult, ScenarioResult, TargetResult, DriverSettings } from '../result/schema.js';
import { ABSENT, formatBytes, formatCount, formatMs, formatMsSigned, formatRatio, formatSmall } from './format.js';

export interface Table {
  title: string;
  headers: string[];
  /** First cell is the target name; the rest are formatted values (or ABSENT). */
  rows: string[][];
}

interface Column {
  key: MetricKey;
  header: string;
  format: (value: number) => string;
}

const LATENCY_KEYS: Partial<Record<MetricKey, keyof RoundLatency>> = {
  p50_us: 'p50',
  p90_us: 'p90',
  p99_us: 'p99',
  p999_us: 'p999',
  max_us: 'max',
};
type RoundLatency = TargetResult['rounds'][number]['latency_us'];

const THROUGHPUT_COLUMNS: Column[] = [
  { key: 'rps', header: 'rps', format: formatCount },
  { key: 'p50_us', header: 'p50 ms', format: formatMs },
  { key: 'p90_us', header: 'p90 ms', format: formatMs },
  { key: 'p99_us', header: 'p99 ms', format: formatMs },
  { key: 'p999_us', header: 'p99.9 ms', format: formatMs },
  { key: 'max_us', header: 'max ms', format: formatMs },
  { key: 'errors', header: 'errors', format: formatSmall },
];

const COST_COLUMNS: Column[] = [
  { key: 'cpu_us_per_req', header: 'CPU µs/req', format: formatSmall },
  { key: 'alloc_bytes_per_req', header: 'alloc/req', format: formatBytes },
  { key: 'gc_per_1k', header: 'GC /1k req', format: formatSmall },
  { key: 'gc_pause_us_per_1k', header: 'GC pause ms /1k req', format: formatMs },
  { key: 'peak_rss_bytes', header: 'peak RSS', format: formatBytes },
  { key: 'el_delay_p99_us', header: 'event-loop p99 ms', format: formatMs },
];

/**
 * A metric's median and spread over rounds. The summary written by the run is authoritative;
 * when it lacks a metric that the rounds carry, derive it so older results still render.
 */
export function metricSummary(target: TargetResult, key: MetricKey): MetricSummary | undefined {
  const stored = target.summary[key];
  if (stored) return stored;
  const latencyField = LATENCY_KEYS[key];
  const values = target.rounds
    .map((r) => r.metrics[key] ?? (latencyField ? r.latency_us[latencyField] : undefined))
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (values.length === 0) return undefined;
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  const median = values.length % 2 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
  return { median, min: values[0]!, max: values[values.length - 1]!, n: values.length };
}

/** "median (min–max)", or just the median when the spread is invisible at this precision. */
export function formatSpread(summary: MetricSummary | undefined, format: (v: number) => string): string {
  if (!summary) return ABSENT;
  const median = format(summary.median);
  const lo = format(summary.min);
  const hi = format(summary.max);
  return lo === hi ? median : `${median} (${lo}–${hi})`;
}

function metricTable(title: string, scenario: ScenarioResult, columns: Column[]): Table {
  return {
    title,
    headers: ['target', ...columns.map((c) => c.header)],
    rows: scenario.targets.map((t) => [t.name, ...columns.map((c) => formatSpread(metricSummary(t, c.key), c.format))]),
  };
}

export function overheadTable(scenario: ScenarioResult): Table | undefined {
  const rows = scenario.targets
    .filter((t) => t.overhead)
    .map((t) => {
      const o = t.overhead!;
      return [t.name, formatRatio(o.rps_ratio), formatMsSigned(o.p50_added_us), formatMsSigned(o.p99_added_us), formatRatio(o.p99_ratio)];
    });
  if (rows.length === 0) return undefined;
  return {
    title: 'Overhead vs direct (same rounds)',
    headers: ['target', 'rps ratio', 'added p50 ms', 'added p99 ms', 'p99 ratio'],
    rows,
  };
}

/** Every table of a scenario, in display order. */
export function scenarioTables(scenario: ScenarioResult): Table[] {
  const tables = [
    metricTable(`Throughput and latency (median over ${scenario.rounds} rounds, min–max in brackets)`, scenario, THROUGHPUT_COLUMNS),
    metricTable('Cost in the target process', scenario, COST_COLUMNS),
  ];
  const overhead = overheadTable(scenario);
  if (overhead) tables.push(overhead);
  return tables;
}

/** Things a reader must know before trusting the numbers. */
export function scenarioNotes(scenario: ScenarioResult): string[] {
  const notes: string[] = [];
  if (!scenario.targets.some((t) => t.kind === 'direct')) {
    notes.push('No direct (no-proxy) floor in this scenario: overhead cannot be read as a ratio.');
  }
  for (const t of scenario.targets) {
    if (t.driver_saturated) {
      const peak = Math.max(0, ...t.rounds.map((r) => r.driver_cpu_pct));
      notes.push(
        `${t.name}: the load driver was saturated (up to ${peak.toFixed(0)}% of a core): its rps is what the driver could send, a floor on the target's capacity.`,
      );
    }
    for (const note of t.notes) notes.push(`${t.name}: ${note}`);
  }
  return notes;
}

export function describeDriver(d: DriverSettings): string {
  const parts = [d.name, `${d.connections} connections`, `pipelining ${d.pipelining}`, `${d.duration_s} s per round after ${d.warmup_s} s warm-up`];
  if (d.rate !== undefined) parts.push(`rate ${formatCount(d.rate)} req/s`);
  return parts.join(', ');
}

/** Where the numbers came from: label/value pairs for the report header. */
export function provenance(result: RunResult): Array<[string, string]> {
  const e = result.env;
  const rows: Array<[string, string]> = [['run', result.run_id]];
  if (result.suite) rows.push(['suite', result.suite]);
  rows.push(
    ['started', result.started_at],
    ['finished', result.finished_at],
    ['git commit', e.git_commit + (e.git_dirty ? ' (dirty worktree)' : '')],
    ['node', e.node],
    ['cpu', e.cpu_model],
    ['cores', String(e.cores)],
    ['os', e.os],
  );
  // Driver settings are per scenario; lift them into the header when every scenario agrees.
  const drivers = new Set(result.scenarios.map((s) => describeDriver(s.driver)));
  if (drivers.size === 1) rows.push(['driver', [...drivers][0]!]);
  return rows;
}
