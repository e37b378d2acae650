// The documented CI example must stay runnable: valid YAML, and the gate command it runs only uses
// options `proxylab run` has.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT, requireBuild, runCli } from '../lab/helpers.js';

beforeAll(requireBuild);

describe('.github/workflows/bench.yml', () => {
  it('runs the ci suite through the gate with options that exist', async () => {
    const wf = parse(readFileSync(join(ROOT, '.github/workflows/bench.yml'), 'utf8')) as {
      jobs: Record<string, { steps: Array<{ run?: string }> }>;
    };
    const runs = Object.values(wf.jobs).flatMap((j) => j.steps.map((s) => s.run ?? ''));
    const gate = runs.find((r) => /cli\.js run /.test(r));
    expect(gate).toBeDefined();
    expect(gate).toContain('--suite ci');
    const help = await runCli(['run', '--help']);
    for (const option of gate!.match(/--[a-z-]+/g) ?? []) expect(help.stdout).toContain(option);
  });
});
