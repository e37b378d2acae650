// Teardown: a target that dies mid-run ends the run with exit 3 and its log tail, and no process
// the lab started survives — including a grandchild the target forked (process-group kill).
// Same for a target that never starts, and for SIGINT to the lab.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, isAlive, originPid, requireBuild, runCli, tempDir, until, writeScenario } from './helpers.js';

beforeAll(requireBuild);

const crashScenario = (pidFile: string, limit: number, duration = 3) => `name: crash
origin: { size: 64 }
targets:
  - name: crashy
    external:
      command: ${process.execPath}
      args: ["${join(FIXTURES, 'crash-target.mjs')}", "{{PORT}}", "${pidFile}", "${limit}"]
      ready: { tcp: true, timeout_s: 10 }
load: { connections: 4, duration_s: ${duration}, warmup_s: 0 }
rounds: 2
`;

describe('teardown', () => {
  it('a target dying mid-run: exit 3, log tail printed, no orphans', async () => {
    const dir = tempDir('crash');
    const pidFile = join(dir, 'pids.json');
    const out = join(dir, 'out');
    const run = await runCli(['run', '--scenario', writeScenario(dir, 'crash', crashScenario(pidFile, 300)), '--out', out]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('[TARGET_DIED]');
    expect(run.stderr).toContain('crash-target: exiting on purpose');
    const pids = JSON.parse(readFileSync(pidFile, 'utf8')) as { target: number; grandchild: number };
    const origin = originPid(join(out, 'crash', 'origin.log'));
    expect(origin).toBeTypeOf('number');
    for (const pid of [pids.target, pids.grandchild, origin!]) expect(isAlive(pid), `pid ${pid}`).toBe(false);
    expect(existsSync(join(out, 'result.json'))).toBe(false);
  });

  it('a target that fails to start: exit 3 naming it, origin stopped', async () => {
    const dir = tempDir('nostart');
    const out = join(dir, 'out');
    const text = `name: nostart
targets:
  - name: broken
    external: { command: ${process.execPath}, args: ["-e", "console.error('broken: bad config'); process.exit(4)"] }
load: { connections: 1, duration_s: 1 }
`;
    const run = await runCli(['run', '--scenario', writeScenario(dir, 'nostart', text), '--out', out]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('[TARGET_START_FAILED]');
    expect(run.stderr).toContain('broken: bad config');
    const origin = originPid(join(out, 'nostart', 'origin.log'));
    expect(isAlive(origin!)).toBe(false);
  });

  it('SIGINT to the lab mid-run stops every process it started', async () => {
    const dir = tempDir('sigint');
    const pidFile = join(dir, 'pids.json');
    const out = join(dir, 'out');
    let labPid = 0;
    const running = runCli(['run', '--scenario', writeScenario(dir, 'sigint', crashScenario(pidFile, 1e12, 30)), '--out', out], {
      onSpawn: (pid) => (labPid = pid),
    });
    // Wait until the load is on: the target has written its pids and the origin is up.
    const pids = await until(() => (existsSync(pidFile) ? (JSON.parse(readFileSync(pidFile, 'utf8')) as { target: number; grandchild: number }) : undefined), 20_000, 'target pids');
    const origin = await until(() => originPid(join(out, 'crash', 'origin.log')), 20_000, 'origin pid');
    process.kill(labPid, 'SIGINT');
    const run = await running;
    expect(run.code).toBe(130);
    for (const pid of [pids.target, pids.grandchild, origin]) expect(isAlive(pid), `pid ${pid}`).toBe(false);
  });

  it('errors above error_limit end the run with exit 3 and stop everything', async () => {
    const dir = tempDir('errors');
    const out = join(dir, 'out');
    const text = `name: errors
targets:
  - name: resets
    external: { command: ${process.execPath}, args: ["${join(FIXTURES, 'reset-target.mjs')}", "{{PORT}}"] }
direct: false
load: { connections: 2, duration_s: 1, warmup_s: 0 }
error_limit: 0.05
rounds: 1
`;
    const run = await runCli(['run', '--scenario', writeScenario(dir, 'errors', text), '--out', out]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('[ERROR_LIMIT]');
    expect(run.stderr).toContain('errors/resets');
    expect(isAlive(originPid(join(out, 'errors', 'origin.log'))!)).toBe(false);
  });
});
