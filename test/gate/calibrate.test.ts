// proxylab calibrate: one target twice, interleaved; a noise floor and an MDE per metric, and
// (A against itself) no verdict on any gated metric.
import { describe, it, expect, beforeAll } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireBuild, runCli, tempDir, writeScenario } from '../lab/helpers.js';

beforeAll(requireBuild);

describe('proxylab calibrate', () => {
  const dir = tempDir('calibrate');
  const file = writeScenario(dir, 'aa', `name: aa-tiny
targets: [{ name: opt, preset: optimized }]
load: { connections: 4, duration_s: 1, warmup_s: 0.5 }
rounds: 5
`);

  it('reports the noise floor and MDE per metric and no change for A/A', async () => {
    const out = join(dir, 'out');
    const run = await runCli(['calibrate', '--scenario', file, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('## A/A calibration: aa-tiny / opt, 5 rounds × 1 s: no change');
    for (const metric of ['rps', 'p50_us', 'p99_us', 'cpu_us_per_req']) {
      expect(run.stdout).toMatch(new RegExp(`\\| ${metric} \\| yes \\| [\\d.]+ \\| [\\d.]+ \\| [-+][\\d.]+% \\| [\\d.e-]+ \\| [\\d.]+% \\| [\\d.]+% \\| no change \\|`));
    }
    const cal = JSON.parse(readFileSync(join(out, 'calibration.json'), 'utf8'));
    expect(cal).toMatchObject({ scenario: 'aa-tiny', target: 'opt', rounds: 5, falseAlarms: [] });
    const rps = cal.rows.find((r: { metric: string }) => r.metric === 'rps');
    expect(rps.result.n).toEqual([5, 5]);
    expect(rps.mde).toBeGreaterThanOrEqual(0.05); // never below the threshold
    // A and B ran as two proxy processes, each with its own log
    expect(existsSync(join(out, 'aa-tiny', 'opt-a.log'))).toBe(true);
    expect(existsSync(join(out, 'aa-tiny', 'opt-b.log'))).toBe(true);
  }, 40_000);

  it('an unknown target is exit 2 naming the file and the targets it has', async () => {
    const run = await runCli(['calibrate', '--scenario', file, '--target', 'nope', '--out', join(dir, 'bad')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file}: targets: no target "nope" (have: opt; direct cannot be run twice)`);
  });
});
