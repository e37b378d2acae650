// report.html for a canary run: self-contained (inline CSS and SVG, no scripts, no network), the
// outcome, the timeline charts (weight, per-variant p99, 5xx) and the step table.
import { CSS } from '../report/html.js';
import { escapeHtml as esc } from '../report/escape.js';
import { COLORS, timelineCharts } from './timeline-chart.js';
import { STEP_HEADERS, stepRow } from './markdown.js';
import type { CanaryResult } from './result.js';

export function canaryHtml(r: CanaryResult): string {
  const outcome =
    r.outcome === 'promoted'
      ? `<p data-outcome="promoted"><strong>Promoted</strong>: ${esc(r.variants.canary)} passed every step (${esc(r.plan.steps.join(', '))} %).</p>`
      : `<p data-outcome="rolled_back"><strong>Rolled back</strong> by the ${esc(r.rolled_back_by ?? '')}: ${esc(r.reason ?? '')}</p>`;
  const legend = [
    [r.variants.primary + ' (primary)', COLORS.primary],
    [r.variants.canary + ' (canary)', COLORS.canary],
    ['whole process', COLORS.all],
    ['weight', COLORS.weight],
  ]
    .map(([name, color]) => `<li><span class="swatch" style="background:${color}"></span>${esc(name!)}</li>`)
    .join('');
  const head = STEP_HEADERS.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const rows = r.timeline
    .map((s) => `<tr data-verdict="${esc(s.verdict)}">${stepRow(s).map((c, i) => (i === 0 ? `<th scope="row">${esc(c)}</th>` : `<td>${esc(c)}</td>`)).join('')}</tr>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>proxylab canary ${esc(r.run_id)}</title><style>${CSS}</style></head>
<body>
<header><h1>Canary ${esc(r.variants.canary)} against ${esc(r.variants.primary)}</h1>
<dl><dt>run</dt><dd>${esc(r.run_id)}</dd><dt>scenario</dt><dd>${esc(r.scenario.name)} (${esc(r.scenario.file)})</dd>
<dt>steps</dt><dd>${esc(r.plan.steps.join(', '))} % × ${r.plan.step_s} s</dd><dt>commit</dt><dd>${esc(r.env.git_commit)}</dd></dl></header>
${outcome}
<ul class="legend">${legend}</ul>
<div class="charts">${timelineCharts(r).map((svg) => `<figure>${svg}</figure>`).join('')}</div>
<h3>Steps</h3><div class="table-wrap"><table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table></div>
<footer>Latency is the proxy's own request duration per variant, estimated from its Prometheus histogram buckets. Both variants share one process, so a costly canary also delays primary requests in flight at the same time.</footer>
</body></html>
`;
}
