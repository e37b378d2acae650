// compare.json: what `proxylab compare` concluded, next to the ordinary result.json it measured.
// The tables that the terminal, compare.md and compare.html show are built here once.
import type { RunResult, TargetResult } from '../result/schema.js';
import type { Target } from '../scenario/load.js';
import { ABSENT } from '../report/format.js';
import { COMPARE_METRICS, detectableNote, driftNote, formatChange, formatCi, formatP, VERDICT_TEXT, type MetricVerdict } from './verdicts.js';

export const COMPARE_VERSION = 1;

export interface SideInfo {
  /** What the user asked for (--a / --b). */
  spec: string;
  /** The target's name in result.json. */
  name: string;
  description: string;
}

export interface CompareOutcome {
  schema: 'proxylab/compare';
  version: typeof COMPARE_VERSION;
  run_id: string;
  scenario: { name: string; file: string };
  rounds: number;
  duration_s: number;
  alpha: number;
  threshold: number;
  /** Smallest p-value the exact test can give with these rounds; ≥ alpha means no verdict was possible. */
  smallest_p: number;
  a: SideInfo;
  b: SideInfo;
  /** B judged against A: change = B median / A median − 1. */
  metrics: MetricVerdict[];
  notes: string[];
}

export function describeTarget(target: Target): string {
  if (target.kind === 'external') return `external: ${target.command} ${target.args.join(' ')}`.trim();
  const flags = Object.entries(target.flags).map(([k, on]) => `${k}=${on ? 'on' : 'off'}`);
  if (target.burn_us) flags.push(`burn ${target.burn_us} µs/request`);
  return [`preset ${target.preset}`, ...flags].join(', ') + (target.config ? ` (config ${target.config})` : '');
}

export function compareNotes(result: RunResult, a: TargetResult, b: TargetResult, metrics: MetricVerdict[], smallestP: number, alpha: number): string[] {
  const notes: string[] = [];
  for (const m of metrics) {
    const note = driftNote(m, alpha);
    if (note) notes.push(note);
  }
  if (smallestP >= alpha) {
    notes.push(
      `with ${a.rounds.length} against ${b.rounds.length} rounds the smallest possible p-value is ${formatP(smallestP)} ≥ alpha ${alpha}: ` +
        'no verdict can be reached; run more rounds',
    );
  }
  for (const [key, label] of [['rps', 'rps'], ['p99_us', 'p99']] as const) {
    const note = detectableNote(a, b, key, label, alpha);
    if (note) notes.push(note);
  }
  for (const t of [a, b]) if (t.driver_saturated) notes.push(`${t.name}: the load driver was saturated in some rounds; rps may be the driver's limit`);
  if (result.env.cores <= 2) notes.push(`measured on ${result.env.cores} cores shared by the driver, origin and targets: absolute numbers are noisy, compare ratios`);
  return notes;
}

export interface VerdictTable {
  headers: string[];
  rows: string[][];
  verdicts: Array<MetricVerdict['verdict']>;
}

export function verdictTable(outcome: CompareOutcome): VerdictTable {
  const headers = ['metric', `A: ${outcome.a.name}`, `B: ${outcome.b.name}`, 'change B vs A', `${Math.round((1 - outcome.alpha) * 100)}% CI`, 'p', 'B ahead', 'verdict'];
  const rows = outcome.metrics.map((m) => {
    const def = COMPARE_METRICS.find((d) => d.key === m.key)!;
    return [m.label, def.format(m.baselineMedian), def.format(m.currentMedian), formatChange(m.change), Number.isFinite(m.change) ? formatCi(m.ci) : ABSENT, formatP(m.pValue), m.paired ? `${m.paired.bAhead}/${m.paired.rounds}` : ABSENT, VERDICT_TEXT[m.verdict]];
  });
  return { headers, rows, verdicts: outcome.metrics.map((m) => m.verdict) };
}

/** Plain-text table for the terminal, columns padded. */
export function textTable(headers: string[], rows: string[][]): string {
  const all = [headers, ...rows];
  const widths = headers.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  // Names and words (first and last column) left, numbers right.
  const left = (i: number) => i === 0 || i === headers.length - 1;
  return all.map((r) => r.map((cell, i) => (left(i) ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd()).join('\n');
}
