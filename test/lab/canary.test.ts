// `proxylab canary` end to end: a real origin and one split proxy as child processes, the judge
// stepping the weight over the admin API. Healthy canary → promoted through every step, exit 0; a
// canary with injected burn → rolled back by the judge, exit 1; the proxy's own guard rolling back
// mid-step → exit 1 too; bad arguments → exit 2. Short steps; nothing here asserts timing.
import { describe, expect, it, beforeAll } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireBuild, runCli, tempDir, writeScenario } from './helpers.js';
import type { CanaryResult } from '../../lab/canary/result.js';
import { parsePlan, type CanaryCliOptions } from '../../lab/canary/options.js';
import { UsageError } from '../../lab/errors.js';

const dir = tempDir('canary');
beforeAll(() => requireBuild());

const scenario = (connections: number) =>
  writeScenario(dir, `canary-c${connections}`, `name: canary-c${connections}\norigin: { size: 1024 }\nload: { connections: ${connections}, warmup_s: 0.5 }\n`);
const resultOf = (out: string) => JSON.parse(readFileSync(join(out, 'canary.json'), 'utf8')) as CanaryResult;

describe('proxylab canary', () => {
  it('promotes a healthy canary (optimized over baseline) through every step: exit 0, report with the timeline', async () => {
    const out = join(dir, 'healthy');
    // A 2x latency ratio rather than the default 1.5x: other load tests share this machine, and a
    // step that happens to overlap one must not read as the canary's fault.
    const run = await runCli(['canary', '--scenario', scenario(4), '--steps', '5,25,50,100', '--step-duration', '2s', '--max-latency-ratio', '2', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const result = resultOf(out);
    expect(result.outcome).toBe('promoted');
    // Step 0 is the weight-0 reference: the primary alone.
    expect(result.timeline.map((s) => s.weight)).toEqual([0, 5, 25, 50, 100]);
    expect(result.timeline[0]).toMatchObject({ verdict: 'reference', canary: { requests: 0 } });
    expect(result.timeline.slice(1).every((s) => s.verdict === 'pass' || s.verdict === 'inconclusive')).toBe(true);
    // At 100 % the primary serves nothing; below it both variants were measured.
    expect(result.timeline[4]!.primary.requests).toBe(0);
    expect(result.timeline[3]!.primary.requests).toBeGreaterThan(0);
    expect(result.timeline[3]!.canary.requests).toBeGreaterThan(0);
    expect(run.stdout.trim().split('\n')).toEqual([join(out, 'report.md'), join(out, 'report.html')]);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    for (const chart of ['canary-weight', 'canary-p50', 'canary-p99', 'canary-errors']) expect(html).toContain(`data-chart="${chart}"`);
    expect(html).toContain('data-outcome="promoted"');
    expect(html).not.toMatch(/<script|src="http/);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('**Promoted**');
  });

  it('rolls back a canary with injected burn: exit 1, the judge names the latency it saw', async () => {
    const out = join(dir, 'burned');
    // One connection: no queueing shared between the variants, so the burn shows in the canary only.
    const run = await runCli(['canary', '--scenario', scenario(1), '--steps', '50,100', '--step-duration', '2s', '--primary', 'optimized',
      '--canary', 'optimized', '--canary-flag', 'burn=20000us', '--min-samples', '20', '--out', out]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/rolled back by the judge: step 1 \(50%\): p(50|99) .* ms vs primary/);
    const result = resultOf(out);
    expect(result).toMatchObject({ outcome: 'rolled_back', rolled_back_by: 'judge', variants: { primary: 'optimized', canary: 'optimized+burn20000us' } });
    expect(result.timeline.map((s) => s.verdict)).toEqual(['reference', 'fail']);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('data-marker="rollback"');
  });

  it("exits 1 when the proxy's own guard rolls the canary back during a step", async () => {
    const out = join(dir, 'guarded');
    const config = join(dir, 'guard.yaml');
    writeFileSync(
      config,
      [
        'upstreams: [{ name: origin, targets: [{ url: "http://127.0.0.1:${ORIGIN_PORT}" }] }]',
        'routes: [{ name: all, upstream: origin }]',
        'access_log: { path: "off" }',
        'canary: { guard: { window_s: 3, min_samples: 10, rules: [{ metric: p99_ms, above: 15, for_s: 0 }] } }',
        '',
      ].join('\n'),
    );
    // A 20 ms burn puts every canary request above 15 ms: the guard acts within a second or two.
    // The judge's own latency rule is switched off (ratio 1000) so only the guard can roll back.
    const run = await runCli(['canary', '--scenario', scenario(1), '--steps', '50,100', '--step-duration', '3s', '--primary', 'optimized',
      '--canary', 'optimized', '--canary-flag', 'burn=20000us', '--config', config, '--max-latency-ratio', '1000', '--out', out]);
    expect(run.code, run.stderr).toBe(1);
    const result = resultOf(out);
    expect(result).toMatchObject({ outcome: 'rolled_back', rolled_back_by: 'guard' });
    expect(result.reason).toMatch(/guard rolled back: p99_ms/);
    expect(readFileSync(join(out, 'canary-c1', 'proxy.log'), 'utf8')).toContain('"msg":"canary rolled back by the guard"');
  });

  it('bad arguments exit 2 naming the option and the value, before anything starts', async () => {
    const out = join(dir, 'bad');
    const run = await runCli(['canary', '--scenario', scenario(1), '--out', out, '--steps', '5,0,50']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--steps: step "0" must be a percentage/);
    expect(existsSync(join(out, 'canary.json'))).toBe(false);
    // The rest of the checks, in-process (each CLI start costs seconds on a busy machine).
    const defaults = { scenario: 'x', steps: '5,25', stepDuration: '30s', primary: 'baseline', canary: 'optimized', maxLatencyRatio: '1.5', minDeltaMs: '1', maxErrorRate: '0.01', minSamples: '50' };
    const cases: Array<[Partial<CanaryCliOptions>, RegExp]> = [
      [{ steps: '50,25' }, /--steps: steps must increase \(got "50,25"\)/],
      [{ steps: '5,101' }, /--steps: step "101"/],
      [{ stepDuration: '10x' }, /--step-duration: expected a duration .*\(got "10x"\)/],
      [{ stepDuration: '0.1s' }, /--step-duration: must be between/],
      [{ canary: 'fast' }, /--canary: must be baseline or optimized \(got "fast"\)/],
      [{ maxErrorRate: '2' }, /--max-error-rate: must be a number from 0 to 1 \(got "2"\)/],
      [{ minSamples: '1.5' }, /--min-samples: must be an integer/],
      [{ canaryFlag: ['turbo=on'] }, /--canary-flag: unknown flag "turbo"/],
      [{ canaryFlag: ['burn=fast'] }, /--canary-flag: burn takes microseconds/],
    ];
    for (const [override, message] of cases) {
      let error: unknown;
      try {
        parsePlan({ ...defaults, ...override });
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(override)).toBeInstanceOf(UsageError);
      expect((error as UsageError).exitCode).toBe(2);
      expect((error as Error).message).toMatch(message);
    }
    // A bad proxy config is a configuration error naming file, field and value (the CLI exits 2).
    const config = join(dir, 'bad-proxy.yaml');
    writeFileSync(config, 'upstreams: [{ name: o, targets: [{ url: "http://127.0.0.1:${ORIGIN_PORT}" }] }]\nroutes: [{ name: r, upstream: o }]\ncanary: { weight: 300 }\n');
    expect(() => parsePlan({ ...defaults, config })).toThrow(/bad-proxy\.yaml: canary\.weight: must be <= 100 \(got 300\)/);
    expect(parsePlan({ ...defaults, stepDuration: '500ms' }).step_s).toBe(0.5);
    expect(parsePlan({ ...defaults, stepDuration: '2m', steps: '5, 25,100' })).toMatchObject({ step_s: 120, steps: [5, 25, 100] });
  });
});
