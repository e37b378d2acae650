// `proxylab profile --tool doctor` end to end: a small scenario, two seconds of light load, clinic
// writes its HTML into <out>/profile/, and nothing it started is left running.
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuild, runCli, tempDir } from './helpers.js';

let dir: string;
beforeAll(() => {
  requireBuild();
  dir = tempDir('profile');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SCENARIO = `name: profile-small
origin: { size: 256 }
targets:
  - { name: baseline, preset: baseline }
  - { name: optimized, preset: optimized }
requests:
  - { method: GET, path: /api/items/1 }
load: { driver: autocannon, connections: 4, duration_s: 1, warmup_s: 0 }
rounds: 1
`;

/** Processes whose command line mentions `text` (this test's folder), excluding zombies. */
function processesMentioning(text: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(text) && !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'))) found.push(`${pid} ${cmd}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

describe('proxylab profile', () => {
  it('runs the optimized target under clinic doctor and writes a non-empty HTML report', async () => {
    const scenario = join(dir, 'profile-small.yaml');
    writeFileSync(scenario, SCENARIO);
    const out = join(dir, 'run');
    const r = await runCli(['profile', '--scenario', scenario, '--target', 'optimized', '--tool', 'doctor', '--duration', '2', '--out', out], 55_000);
    expect(r.code, r.stderr).toBe(0);
    const html = r.stdout.trim().split('\n').at(-1)!;
    expect(html.startsWith(join(out, 'profile') + '/')).toBe(true);
    expect(html).toMatch(/\.clinic-doctor\.html$/);
    expect(existsSync(html)).toBe(true);
    expect(statSync(html).size).toBeGreaterThan(0);
    expect(readFileSync(html, 'utf8')).toContain('<html');
    expect(r.stderr).toMatch(/optimized: [\d,]+ requests; stopping/);
    expect(processesMentioning(out)).toEqual([]);
  }, 60_000);

  it('does not offer bubbleprof, and rejects unknown tools and external targets (exit 2)', async () => {
    const scenario = join(dir, 'profile-small.yaml');
    writeFileSync(scenario, SCENARIO);
    const bubble = await runCli(['profile', '--scenario', scenario, '--tool', 'bubbleprof']);
    expect(bubble.code).toBe(2);
    expect(bubble.stderr).toContain('bubbleprof hangs on this machine');
    const unknown = await runCli(['profile', '--scenario', scenario, '--tool', 'perf']);
    expect(unknown.code).toBe(2);
    const target = await runCli(['profile', '--scenario', scenario, '--target', 'nope']);
    expect(target.code).toBe(2);
    expect(target.stderr).toContain('no target named "nope" (proxy targets: baseline, optimized)');
  });
});
