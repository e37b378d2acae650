// `proxylab report DIR` as a user runs it: the built CLI in a child process. Needs dist/ (npm test
// builds it first; alone: npx tsc -p tsconfig.json).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeResult, makeScenario } from './generate.js';

const CLI = resolve('dist/lab/cli.js');
let root: string;

beforeAll(async () => {
  expect(existsSync(CLI), `${CLI} is missing: build first (npx tsc -p tsconfig.json)`).toBe(true);
  root = await mkdtemp(join(tmpdir(), 'proxylab-cli-report-'));
});
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 30_000 }, (error, stdout, stderr) => {
      done({ code: error ? ((error as { code?: number }).code ?? -1) : 0, stdout, stderr });
    });
  });
}

/** A run folder holding `result` as result.json (objects are serialized, strings written as is). */
async function runDir(name: string, result: unknown): Promise<string> {
  const dir = join(root, name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir);
  await writeFile(join(dir, 'result.json'), typeof result === 'string' ? result : JSON.stringify(result, null, 2));
  return dir;
}

describe('proxylab report DIR', () => {
  it('re-renders report.md and report.html from result.json', async () => {
    const dir = await runDir('ok', makeResult([makeScenario('small-get', { rounds: 3 })]));
    const { code, stdout, stderr } = await run('report', dir);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(join(dir, 'report.html'));
    expect(await readFile(join(dir, 'report.md'), 'utf8')).toMatch(/^\| optimized \| [\d,]+ /m);
    expect(await readFile(join(dir, 'report.html'), 'utf8')).toContain('data-chart="latency-curve"');
  });

  it('exits 2 naming the file when result.json is missing', async () => {
    const dir = join(root, 'empty');
    await mkdir(dir, { recursive: true });
    const { code, stderr } = await run('report', dir);
    expect(code).toBe(2);
    expect(stderr).toContain(join(dir, 'result.json'));
    expect(stderr).toContain('no such file');
  });

  it('exits 2 on a result of another version, saying which versions', async () => {
    const dir = await runDir('v2', { ...makeResult(), version: 2 });
    const { code, stderr } = await run('report', dir);
    expect(code).toBe(2);
    expect(stderr).toContain(join(dir, 'result.json'));
    expect(stderr).toMatch(/field "version" is 2; this proxylab reads result version 1/);
  });

  it('exits 2 naming the field and value of an invalid result, and keeps the old report', async () => {
    const result = makeResult();
    (result.scenarios[0]!.targets[1]!.rounds[2]!.metrics as Record<string, unknown>).rps = 'fast';
    const dir = await runDir('bad-metric', result);
    await writeFile(join(dir, 'report.md'), 'previous report\n');
    const { code, stderr } = await run('report', dir);
    expect(code).toBe(2);
    expect(stderr).toContain('field "scenarios[0].targets[1].rounds[2].metrics.rps" is "fast": must be number');
    expect(await readFile(join(dir, 'report.md'), 'utf8')).toBe('previous report\n');
  });

  it('lists the allowed values of a union field and reports missing fields', async () => {
    const result = makeResult();
    (result.scenarios[0]!.targets[0] as { kind: string }).kind = 'sidecar';
    const badKind = await run('report', await runDir('bad-kind', result));
    expect(badKind.code).toBe(2);
    expect(badKind.stderr).toContain('field "scenarios[0].targets[0].kind" is "sidecar": must be one of "direct", "proxy", "external"');

    const noEnv = { ...makeResult(), env: undefined };
    const missing = await run('report', await runDir('no-env', noEnv));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('field "env" is missing');
  });

  it('exits 2 on a file that is not JSON', async () => {
    const { code, stderr } = await run('report', await runDir('not-json', '{"schema": "proxylab/result",'));
    expect(code).toBe(2);
    expect(stderr).toMatch(/result\.json: not valid JSON/);
  });
});
