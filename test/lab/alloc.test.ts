// The allocation probe (the proxy's /stats GC window) must tell the variants apart: the baseline
// copies headers and buffers bodies, so it allocates more per request than the optimized variant.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from '../../lab/result/schema.js';
import { requireBuild, runCli, tempDir, writeScenario } from './helpers.js';

beforeAll(requireBuild);

describe('allocation probe', () => {
  it('reports more allocated bytes per request for baseline than for optimized', async () => {
    const dir = tempDir('alloc');
    const file = writeScenario(
      dir,
      'alloc',
      `name: alloc
origin: { size: 4096 }
direct: false
targets:
  - { name: baseline, preset: baseline }
  - { name: optimized, preset: optimized }
load: { connections: 8, duration_s: 1, warmup_s: 0.5 }
rounds: 1
`,
    );
    const run = await runCli(['run', '--scenario', file, '--out', join(dir, 'out')]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(readFileSync(join(dir, 'out', 'result.json'), 'utf8')) as RunResult;
    const [baseline, optimized] = result.scenarios[0]!.targets;
    const alloc = (t: typeof baseline) => t!.summary.alloc_bytes_per_req?.median;
    expect(alloc(baseline)).toBeGreaterThan(0);
    expect(alloc(optimized)).toBeGreaterThan(0);
    expect(alloc(baseline)!).toBeGreaterThan(alloc(optimized)!);
    for (const t of [baseline!, optimized!]) {
      expect(t.summary.cpu_us_per_req?.median).toBeGreaterThan(0);
      expect(t.summary.peak_rss_bytes?.median).toBeGreaterThan(0);
    }
  });
});
