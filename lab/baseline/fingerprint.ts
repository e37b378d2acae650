// The machine fingerprint: absolute numbers are comparable only between runs on the same kind of
// machine with the same Node and the same load settings; otherwise only same-run ratios are.
import type { Environment, ScenarioResult } from '../result/schema.js';
import type { Fingerprint } from './schema.js';

export function fingerprint(env: Environment, scenario: ScenarioResult): Fingerprint {
  return { cpu_model: env.cpu_model, cores: env.cores, node: env.node, os: env.os, driver: { ...scenario.driver }, rounds: scenario.rounds };
}

/** Why two fingerprints are not the same machine and settings, or [] when they are. */
export function fingerprintDifferences(a: Fingerprint, b: Fingerprint): string[] {
  const diffs: string[] = [];
  if (a.cpu_model !== b.cpu_model) diffs.push(`CPU "${a.cpu_model}" vs "${b.cpu_model}"`);
  if (a.cores !== b.cores) diffs.push(`${a.cores} vs ${b.cores} cores`);
  if (a.node !== b.node) diffs.push(`Node ${a.node} vs ${b.node}`);
  const da = a.driver;
  const db = b.driver;
  if (da.name !== db.name || da.connections !== db.connections || da.pipelining !== db.pipelining || da.duration_s !== db.duration_s || da.rate !== db.rate) {
    diffs.push(`driver ${describeDriver(da)} vs ${describeDriver(db)}`);
  }
  return diffs;
}

function describeDriver(d: Fingerprint['driver']): string {
  return `${d.name} c=${d.connections} p=${d.pipelining} ${d.duration_s}s${d.rate ? ` @${d.rate}/s` : ''}`;
}
