// The shipped nginx scenario end to end: nginx (Debian's package) and the bare undici.Pool reference
// proxy run as external targets next to both variants, measured from /proc, and nothing they
// started outlives the run. Short rounds: this checks the plumbing, not the numbers.
import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from '../../lab/result/schema.js';
import { requireBuild, runCli, tempDir } from './helpers.js';

beforeAll(requireBuild);

function processesMentioning(text: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes(text) && !line.includes('ps -eo'));
}

describe('external targets', () => {
  it('runs scenarios/nginx.yaml: nginx and the undici-pool reference next to both variants', async () => {
    const out = join(tempDir('external'), 'out');
    const run = await runCli(['run', '--scenario', 'scenarios/nginx.yaml', '--rounds', '1', '--duration', '1', '--no-compare', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult;
    const targets = result.scenarios[0]!.targets;
    expect(targets.map((t) => t.name)).toEqual(['direct', 'nginx', 'undici-pool', 'baseline', 'optimized']);
    for (const t of targets) {
      expect(t.summary.rps!.median, t.name).toBeGreaterThan(0);
      expect(t.summary.errors?.median ?? 0, t.name).toBe(0);
    }
    // External targets: CPU per request from /proc, no V8 allocation probe.
    for (const name of ['nginx', 'undici-pool']) {
      const t = targets.find((x) => x.name === name)!;
      expect(t.summary.cpu_us_per_req!.median, name).toBeGreaterThan(0);
      expect(t.summary.alloc_bytes_per_req, name).toBeUndefined();
    }
    expect(processesMentioning(out)).toEqual([]);
  });
});
