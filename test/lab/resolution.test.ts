// Resolution, not speed: an origin that waits 300 µs must read as a fraction of a millisecond.
// A 1 ms-granular histogram would give 0 or exactly 1000 µs; the bounds only exclude that. The
// best of three rounds is checked, so a round stalled by a busy machine does not decide it.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from '../../lab/result/schema.js';
import { requireBuild, runCli, tempDir, writeScenario } from './helpers.js';

beforeAll(requireBuild);

async function directP50(driver: string): Promise<{ p50: number; result: RunResult }> {
  // rounds: 3, the smallest round p50 is returned
  const dir = tempDir(`resolution-${driver}`);
  const load = driver === 'open-loop' ? '{ driver: open-loop, rate: 400, connections: 8, duration_s: 1, warmup_s: 0.2 }' : '{ connections: 2, duration_s: 1, warmup_s: 0.2 }';
  const file = writeScenario(dir, 'r', `name: resolution\norigin: { size: 128, latency_us: 300 }\nload: ${load}\nrounds: 3\n`);
  const run = await runCli(['run', '--scenario', file, '--out', join(dir, 'out')]);
  expect(run.code, run.stderr).toBe(0);
  const result = JSON.parse(readFileSync(join(dir, 'out', 'result.json'), 'utf8')) as RunResult;
  return { p50: result.scenarios[0]!.targets[0]!.summary.p50_us!.min, result };
}

describe('latency resolution', () => {
  for (const driver of ['autocannon', 'open-loop']) {
    it(`${driver}: a 300 µs origin delay reads as ≈ 0.3 ms in p50, in µs`, async () => {
      const { p50, result } = await directP50(driver);
      expect(p50).toBeGreaterThan(200);
      expect(p50).toBeLessThan(2000);
      expect(p50 % 1000).not.toBe(0);
      const t = result.scenarios[0]!.targets[0]!;
      expect(t.name).toBe('direct');
      // direct has no target process: no per-request costs
      expect(t.summary.cpu_us_per_req).toBeUndefined();
      expect(t.summary.alloc_bytes_per_req).toBeUndefined();
    });
  }
});
