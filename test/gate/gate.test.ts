// The CI gate end to end with real short runs (1-s rounds, 4 connections): baseline save, an A/A run
// that must say "no change", an injected CPU burn that must be a regression (exit 1), a budget
// breach naming metric/value/limit (exit 1), corrupt and wrong-version baselines (exit 2, file left
// alone), and a save killed mid-run leaving the baselines byte-for-byte unchanged.
import { describe, it, expect, beforeAll } from 'vitest';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, ROOT, isAlive, requireBuild, runCli, tempDir, until, writeScenario } from '../lab/helpers.js';

beforeAll(requireBuild);

// 5 rounds a side is the fewest at which the exact test can reach the gate's per-metric alpha
// (0.05 / 4 gated metrics): the smallest two-sided p for 5 vs 5 is 0.0079.
const scenario = (extra = '', budgets = '') => `name: gate-tiny
origin: { size: 1024 }
targets:
  - { name: opt, preset: optimized${extra} }
load: { connections: 4, duration_s: 1, warmup_s: 0.5 }
rounds: 5
${budgets}`;

function files(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(p.slice(dir.length), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]!.split(' ')[1] === String(pid);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('baseline gate', () => {
  const dir = tempDir('gate');
  const baselines = join(dir, 'baselines');
  const base = writeScenario(dir, 'base', scenario());

  it('saves baselines, then an A/A run is "no change" (exit 0) with junit.xml and Markdown', async () => {
    const save = await runCli(['baseline', 'save', '--runs', '2', '--scenario', base, '--baselines', baselines, '--out', join(dir, 'save')]);
    expect(save.code, save.stderr).toBe(0);
    const saved = JSON.parse(readFileSync(join(baselines, 'gate-tiny', 'opt.json'), 'utf8'));
    expect(saved).toMatchObject({ schema: 'proxylab/baseline', version: 1, scenario: 'gate-tiny', target: 'opt' });
    // two separate runs pooled, each round tagged with its run
    expect(saved.run_ids).toHaveLength(2);
    expect(saved.rounds.map((r: { run: number }) => r.run)).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
    expect(saved.ratios).toHaveLength(10);
    expect(saved.fingerprint).toMatchObject({ cores: expect.any(Number), node: process.version, driver: { name: 'autocannon', connections: 4 } });
    expect(existsSync(join(baselines, 'gate-tiny', 'direct.json'))).toBe(true);

    const summaryFile = join(dir, 'step-summary.md');
    const aa = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, 'run', '--scenario', base, '--baselines', baselines, '--out', join(dir, 'aa')], {
        cwd: ROOT,
        env: { ...process.env, GITHUB_STEP_SUMMARY: summaryFile },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d));
      child.stderr.on('data', (d: Buffer) => (stderr += d));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect(aa.code, aa.stdout + aa.stderr).toBe(0);
    expect(aa.stdout).toMatch(/Gate: PASS\n  gate-tiny\/direct +(no change|floor moved)/);
    expect(aa.stdout).toMatch(/gate-tiny\/opt +no change +(absolute|ratio) +(rps|rps_ratio) [-+][\d.]+% \(p [\d.]+, MDE [\d.]+%\)/);
    const gate = readFileSync(join(dir, 'aa', 'gate.md'), 'utf8');
    expect(gate).toContain('### gate-tiny / opt: no change');
    expect(gate).toMatch(/current minimum detectable effect: (rps|overhead)/);
    expect(gate).toMatch(/\| (p99_us|overhead\.p99_ratio) \| yes \|/); // every metric has a row with its p-value and interval
    const junit = readFileSync(join(dir, 'aa', 'junit.xml'), 'utf8');
    expect(junit).toContain('name="opt: no regression vs baseline"');
    expect(junit).toContain('failures="0"');
    expect(readFileSync(summaryFile, 'utf8')).toContain('## Gate: PASS');
    expect(readFileSync(join(dir, 'aa', 'report.md'), 'utf8')).toContain('## Gate: PASS');
  }, 60_000);

  it('the same target with a 3 ms CPU burn per request is a regression: exit 1', async () => {
    const burn = writeScenario(dir, 'burn', scenario(', burn_us: 3000'));
    const run = await runCli(['run', '--scenario', burn, '--baselines', baselines, '--out', join(dir, 'burn')]);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stderr).toMatch(/regression: gate-tiny\/opt (rps|p50_us|p99_us|cpu_us_per_req|overhead\.\w+)/);
    expect(run.stdout).toMatch(/Gate: FAIL\n[^]*gate-tiny\/opt +regression /);
    expect(readFileSync(join(dir, 'burn', 'gate.md'), 'utf8')).toContain('### gate-tiny / opt: regression');
    const junit = readFileSync(join(dir, 'burn', 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<failure message="regression: /);
    const result = JSON.parse(readFileSync(join(dir, 'burn', 'result.json'), 'utf8'));
    expect(result.scenarios[0].targets[1].flags).toEqual({ burn_us: 3000 });
  }, 40_000);

  it('a budget breach exits 1 naming the metric, the observed value and the limit', async () => {
    const file = writeScenario(dir, 'budget', `name: gate-budget
direct: false
targets: [{ name: opt, preset: optimized }]
load: { connections: 2, duration_s: 1, warmup_s: 0 }
rounds: 1
budgets:
  opt: ["errors == 0", "p50 < 1us"]
`);
    const run = await runCli(['run', '--scenario', file, '--no-compare', '--out', join(dir, 'budget')]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/gate-budget\/opt budget breach: p50 = [\d.]+ (µs|ms), limit < 1 µs/);
    expect(run.stderr).not.toContain('errors =');
    const junit = readFileSync(join(dir, 'budget', 'junit.xml'), 'utf8');
    expect(junit).toContain('name="opt: budget errors == 0"><system-out>');
    expect(junit).toMatch(/name="opt: budget p50 &lt; 1us"><failure message="budget breach: p50 = /);
  }, 30_000);

  it('a budget with an unknown metric is exit 2 naming file, field and value', async () => {
    const file = writeScenario(dir, 'badbudget', scenario('', 'budgets:\n  opt: ["p98 < 5ms"]\n'));
    const run = await runCli(['run', '--scenario', file, '--baselines', baselines]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file}: budgets.opt[0]: unknown metric "p98"`);
    expect(run.stderr).toContain('(got "p98 < 5ms")');
  });

  it('a corrupt or wrong-version baseline is exit 2 naming the file, and save does not overwrite it', async () => {
    for (const [label, mutate] of [
      ['corrupt', (_: string) => '{"schema": "proxylab/baseline", "vers'],
      ['version', (t: string) => t.replace('"version": 1', '"version": 99')],
      ['field', (t: string) => t.replace('"rounds": [', '"rounds": "x", "was": [')],
    ] as const) {
      const copy = join(dir, `bl-${label}`);
      cpSync(baselines, copy, { recursive: true });
      const file = join(copy, 'gate-tiny', 'opt.json');
      writeFileSync(file, mutate(readFileSync(file, 'utf8')));
      const before = readFileSync(file);
      for (const args of [['run'], ['baseline', 'save']]) {
        const run = await runCli([...args, '--scenario', base, '--baselines', copy, '--out', join(dir, `out-${label}`)]);
        expect(run.code, `${label} ${args.join(' ')}: ${run.stderr}`).toBe(2);
        expect(run.stderr).toContain(file);
        expect(run.stderr).toContain(label === 'version' ? '[BASELINE_VERSION]' : '[BASELINE_INVALID]');
        if (label === 'version') expect(run.stderr).toContain('(got 99)');
        expect(readFileSync(file).equals(before)).toBe(true);
      }
    }
  });

  it('a save killed with SIGKILL mid-run leaves every baseline byte-for-byte unchanged', async () => {
    const before = files(baselines);
    // Killed in its second run: the first run has finished, and still nothing may be written.
    const child = spawn(process.execPath, [CLI, 'baseline', 'save', '--runs', '2', '--scenario', base, '--baselines', baselines, '--out', join(dir, 'killed')], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    await until(() => (/run 2\/2[\s\S]*round 2\/5/.test(stderr) ? true : undefined), 60_000, 'round 2 of the second run of the save');
    const started = childrenOf(child.pid!); // origin and proxy: ours to clean up after the kill
    const exited = new Promise((r) => child.once('close', r));
    child.kill('SIGKILL');
    await exited;
    for (const pid of started) {
      try {
        process.kill(-pid, 'SIGKILL'); // each target runs in its own process group
      } catch {
        try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
      }
    }
    expect(started.length).toBeGreaterThanOrEqual(2);
    await until(() => (started.every((pid) => !isAlive(pid)) ? true : undefined), 5000, 'the orphaned origin and proxy to exit');
    const after = files(baselines);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [name, bytes] of before) expect(after.get(name)!.equals(bytes), name).toBe(true);
  }, 40_000);
});
