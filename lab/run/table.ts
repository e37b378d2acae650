// The compact table `proxylab run` prints: per scenario, target × rps, p50, p99, overhead.
import type { RunResult } from '../result/schema.js';

const ms = (us: number | undefined): string => (us === undefined ? '-' : (us / 1000).toFixed(3));
const int = (n: number | undefined): string => (n === undefined ? '-' : Math.round(n).toLocaleString('en-US'));

export function formatTable(result: RunResult): string {
  const lines: string[] = [];
  for (const s of result.scenarios) {
    const rows: string[][] = [['target', 'rps', 'p50 ms', 'p99 ms', 'x direct', '+p50 ms', '+p99 ms', 'cpu µs/req', 'alloc B/req']];
    for (const t of s.targets) {
      const m = (k: string): number | undefined => t.summary[k]?.median;
      rows.push([
        t.name + (t.driver_saturated ? ' *' : ''),
        int(m('rps')),
        ms(m('p50_us')),
        ms(m('p99_us')),
        t.overhead ? t.overhead.rps_ratio.toFixed(2) : t.kind === 'direct' ? '1.00' : '-',
        t.overhead ? ms(t.overhead.p50_added_us) : '-',
        t.overhead ? ms(t.overhead.p99_added_us) : '-',
        m('cpu_us_per_req') === undefined ? '-' : m('cpu_us_per_req')!.toFixed(1),
        int(m('alloc_bytes_per_req')),
      ]);
    }
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    lines.push('', `${s.name} (${s.driver.name}, ${s.driver.connections} conn, ${s.rounds} × ${s.driver.duration_s} s, medians)`);
    for (const r of rows) lines.push(r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
    if (s.targets.some((t) => t.driver_saturated)) lines.push('* the load driver used ≥ 90% of a core: its limit, not the target\'s, may cap rps');
  }
  return `${lines.join('\n')}\n`;
}
