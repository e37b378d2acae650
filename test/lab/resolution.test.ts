// Resolution, not speed: an origin that waits 300 µs must read as a fraction of a millisecond.
// A 1 ms-granular histogram would give 0 or exactly 1000 µs. The recorded histograms are read back:
// their fastest response cannot beat the origin's delay and, at µs resolution, lands between it and
// 1 ms; that holds on a machine too busy for the median to stay below a millisecond. The median is
// checked for being a µs value (not a whole millisecond), not for its size.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from '../../lab/result/schema.js';
import { decode } from '../../lab/load/histogram.js';
import { requireBuild, runCli, tempDir, writeScenario } from './helpers.js';

beforeAll(requireBuild);

async function directRun(driver: string): Promise<RunResult> {
  const dir = tempDir(`resolution-${driver}`);
  const load = driver === 'open-loop' ? '{ driver: open-loop, rate: 400, connections: 8, duration_s: 1, warmup_s: 0.2 }' : '{ connections: 2, duration_s: 1, warmup_s: 0.2 }';
  const file = writeScenario(dir, 'r', `name: resolution\norigin: { size: 128, latency_us: 300 }\nload: ${load}\nrounds: 3\n`);
  const run = await runCli(['run', '--scenario', file, '--out', join(dir, 'out')]);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(readFileSync(join(dir, 'out', 'result.json'), 'utf8')) as RunResult;
}

describe('latency resolution', () => {
  for (const driver of ['autocannon', 'open-loop']) {
    it(`${driver}: a 300 µs origin delay reads as ≈ 0.3 ms, in µs`, async () => {
      const result = await directRun(driver);
      const t = result.scenarios[0]!.targets[0]!;
      expect(t.name).toBe('direct');
      expect(t.rounds).toHaveLength(3);
      for (const round of t.rounds) {
        const h = decode(round.histogram!);
        expect(h.totalCount).toBe(round.requests);
        expect(h.minNonZeroValue).toBeGreaterThanOrEqual(300);
        expect(h.minNonZeroValue).toBeLessThan(1000);
        expect(round.latency_us.p50).toBeGreaterThan(300);
        expect(round.latency_us.p50 % 1000).not.toBe(0);
      }
      // direct has no target process: no per-request costs
      expect(t.summary.cpu_us_per_req).toBeUndefined();
      expect(t.summary.alloc_bytes_per_req).toBeUndefined();
    });
  }
});
