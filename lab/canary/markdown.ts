// report.md for a canary run: the outcome first, then one row per step.
import { escapeMarkdown as md } from '../report/escape.js';
import type { CanaryResult, CanaryStep } from './result.js';

export function outcomeLine(r: CanaryResult): string {
  return r.outcome === 'promoted'
    ? `**Promoted**: ${r.variants.canary} passed every step (${r.plan.steps.join(', ')} %).`
    : `**Rolled back** by the ${r.rolled_back_by}: ${r.reason}`;
}

export const STEP_HEADERS = ['step', 'weight', 'primary req', 'canary req', 'primary p50', 'canary p50', 'primary p99', 'canary p99', 'process p50', 'primary 5xx', 'canary 5xx', 'verdict'];

export function stepRow(s: CanaryStep): string[] {
  const ms = (v: number | undefined) => (v === undefined ? '–' : `${v.toFixed(3)} ms`);
  const pct = (x: { requests: number; error_rate: number }) => (x.requests === 0 ? '–' : `${(x.error_rate * 100).toFixed(2)}%`);
  return [
    s.index === 0 ? 'ref' : String(s.index),
    `${s.weight}%`,
    String(s.primary.requests),
    String(s.canary.requests),
    ms(s.primary.p50_ms),
    ms(s.canary.p50_ms),
    ms(s.primary.p99_ms),
    ms(s.canary.p99_ms),
    ms(s.all.p50_ms),
    pct(s.primary),
    pct(s.canary),
    s.verdict + (s.reasons.length ? `: ${s.reasons.join('; ')}` : ''),
  ];
}

export function canaryMarkdown(r: CanaryResult): string {
  const j = r.judge;
  const lines = [
    `# Canary ${md(r.variants.canary)} against ${md(r.variants.primary)}`,
    '',
    outcomeLine(r),
    '',
    `- scenario: ${md(r.scenario.name)} (\`${r.scenario.file}\`)`,
    `- steps: ${r.plan.steps.join(', ')} % of requests, ${r.plan.step_s} s each; one proxy process serves both variants`,
    `- judge: canary p50/p99 worse when above ${j.max_latency_ratio}x the primary's and more than ${j.min_delta_ms} ms above it; ` +
      `5xx rate worse when more than ${(j.max_error_rate * 100).toFixed(2)} points above; the whole process's p50 worse by the same rule against ` +
      `the weight-0 reference step (ref); fewer than ${j.min_samples} canary requests is inconclusive (promotes)`,
    `- latency from the proxy's request-duration histogram (bucket-interpolated); commit ${r.env.git_commit}, Node ${r.env.node}`,
    '',
    `| ${STEP_HEADERS.join(' | ')} |`,
    `|${STEP_HEADERS.map(() => '---').join('|')}|`,
    ...r.timeline.map((s) => `| ${stepRow(s).map(md).join(' | ')} |`),
    '',
  ];
  return `${lines.join('\n')}\n`;
}
