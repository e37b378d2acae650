// PromQL built from metric definitions, never from metric-name strings: a query can only name a
// metric through its catalogue entry, and only filter or group by labels that entry declares (or
// the scrape labels job and instance), both checked by the compiler.
import type { MetricDefinition } from '../proxy/metrics/catalogue.js';

/** Labels Prometheus adds to every scraped series. */
export type TargetLabel = 'job' | 'instance';
export type LabelOf<D extends MetricDefinition> = D['labels'][number] | TargetLabel;

export interface Matcher {
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}
export const eq = (value: string): Matcher => ({ op: '=', value });
export const re = (value: string): Matcher => ({ op: '=~', value });
export const notRe = (value: string): Matcher => ({ op: '!~', value });

export type Match<D extends MetricDefinition> = Partial<Record<LabelOf<D>, Matcher>>;

/** Every query is scoped to the dashboard's job and instance variables. */
export const SCOPE: Readonly<Record<TargetLabel, Matcher>> = { job: re('$job'), instance: re('$instance') };

/** Grafana's rate window: at least four scrape intervals, whatever the panel's resolution. */
export const RATE_WINDOW = '$__rate_interval';

type HistogramSeries = '_bucket' | '_sum' | '_count';

/** `name{job=~"$job",instance=~"$instance",...}`; histograms need a series suffix. */
export function selector<D extends MetricDefinition>(def: D, match: Match<D> = {}, suffix?: HistogramSeries): string {
  if ((def.type === 'histogram') !== (suffix !== undefined)) {
    throw new Error(`${def.name}: a ${def.type} ${suffix ? 'has no' : 'needs a'} series suffix${suffix ? ` (${suffix})` : ''}`);
  }
  const all: Record<string, Matcher> = { ...SCOPE, ...(match as Record<string, Matcher>) };
  for (const label of Object.keys(match)) {
    if (label !== 'job' && label !== 'instance' && !def.labels.includes(label)) throw new Error(`${def.name} has no label ${label}`);
  }
  const body = Object.entries(all)
    .map(([label, m]) => `${label}${m.op}${JSON.stringify(m.value)}`)
    .join(',');
  return `${def.name}${suffix ?? ''}{${body}}`;
}

const by = (labels: readonly string[]) => (labels.length ? ` by (${labels.join(', ')})` : '');

/** Per-second rate of a counter (or a histogram's _count/_sum), summed by the given labels. */
export function rateBy<D extends MetricDefinition>(def: D, labels: readonly LabelOf<D>[], match: Match<D> = {}, suffix?: '_count' | '_sum'): string {
  if (def.type === 'gauge') throw new Error(`${def.name}: rate() of a gauge`);
  return `sum${by(labels)} (rate(${selector(def, match, suffix)}[${RATE_WINDOW}]))`;
}

/** Increase of a counter over the rate window, summed by the given labels. */
export function increaseBy<D extends MetricDefinition>(def: D, labels: readonly LabelOf<D>[], match: Match<D> = {}): string {
  if (def.type !== 'counter') throw new Error(`${def.name}: increase() of a ${def.type}`);
  return `sum${by(labels)} (increase(${selector(def, match)}[${RATE_WINDOW}]))`;
}

/** A gauge aggregated by the given labels. */
export function gaugeBy<D extends MetricDefinition>(
  def: D,
  labels: readonly LabelOf<D>[],
  match: Match<D> = {},
  aggregate: 'sum' | 'max' | 'min' | 'avg' = 'sum',
): string {
  if (def.type !== 'gauge') throw new Error(`${def.name} is a ${def.type}, not a gauge`);
  return `${aggregate}${by(labels)} (${selector(def, match)})`;
}

/** The q-quantile of a histogram over the rate window, per group of labels. */
export function quantileBy<D extends MetricDefinition>(q: number, def: D, labels: readonly LabelOf<D>[], match: Match<D> = {}): string {
  if (def.type !== 'histogram') throw new Error(`${def.name}: histogram_quantile() of a ${def.type}`);
  if (!(q > 0 && q < 1)) throw new Error(`quantile ${q} is not in (0, 1)`);
  return `histogram_quantile(${q}, sum by (${['le', ...labels].join(', ')}) (rate(${selector(def, match, '_bucket')}[${RATE_WINDOW}])))`;
}

/** The share of a counter's rate that matches `part`, per group of labels (0-1). */
export function ratioBy<D extends MetricDefinition>(def: D, labels: readonly LabelOf<D>[], part: Match<D>, whole: Match<D> = {}): string {
  return `${rateBy(def, labels, part)}\n  /\n${rateBy(def, labels, whole)}`;
}
