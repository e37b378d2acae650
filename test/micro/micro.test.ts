// `proxylab micro` end to end through the built CLI, with a tiny time budget. Nothing here asserts
// on timings: only the table's structure, that both implementations ran, and the baseline store.
import { existsSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intervalComparator } from '../../lab/micro/compare.js';
import { requireBuild, runCli, tempDir } from './helpers.js';

let dir: string;
beforeAll(() => {
  requireBuild();
  dir = tempDir('micro');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TINY = ['micro', '--filter', 'rules', '--time', '50'];

/** Data rows of the printed table (after the header and the dashes line). */
function rows(stdout: string): string[][] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => l.startsWith('suite'));
  expect(start).toBeGreaterThanOrEqual(0);
  expect(lines[start + 1]).toMatch(/^-+( +-+)+$/);
  const out: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.trim() || line.startsWith('ratio:')) break;
    out.push(line.split(/ {2,}/));
  }
  return out;
}

describe('proxylab micro', () => {
  it('runs the rules suite: both implementations, table with ops/s, mean, p99, rme and the ratio', async () => {
    const json = join(dir, 'run.json');
    const r = await runCli([...TINY, '--json', json]);
    expect(r.code, r.stderr).toBe(0);
    const header = r.stdout.split('\n').find((l) => l.startsWith('suite'))!;
    expect(header.split(/ {2,}/)).toEqual(['suite', 'case', 'impl', 'ops/s', 'mean', 'p99', '±rme', 'ratio']);
    const table = rows(r.stdout);
    expect(table.map((row) => [row[0], row[2]])).toEqual([
      ['rules', 'baseline'],
      ['rules', 'optimized'],
    ]);
    for (const row of table) {
      expect(row[3]).toMatch(/^[\d,]+$/);
      expect(row[4]).toMatch(/^[\d.]+ (ns|µs|ms)$/);
      expect(row[5]).toMatch(/^[\d.]+ (ns|µs|ms)$/);
      expect(row[6]).toMatch(/^±[\d.]+%$/);
      expect(row[7]).toMatch(/^[\d.]+x$/);
    }
    expect(table[0]![7]).toBe('1.00x');

    const run = JSON.parse(readFileSync(json, 'utf8'));
    expect(run).toMatchObject({ schema: 'proxylab/micro-result', version: 1, time_ms: 50 });
    expect(run.env.node).toBe(process.version);
    const tasks = run.suites[0].tasks;
    expect(tasks.map((t: { impl: string }) => t.impl)).toEqual(['baseline', 'optimized']);
    for (const t of tasks) {
      expect(t.samples).toBeGreaterThan(0);
      expect(t.ops_per_s).toBeGreaterThan(0);
      expect(t.mean_ns).toBeGreaterThan(0);
      expect(t.batch).toBeGreaterThanOrEqual(1);
    }
    expect(tasks[1].ratio).toBeGreaterThan(0);
  });

  it('saves baselines and compares against them: exit 0 when faster, 1 on a regression', async () => {
    const baselines = join(dir, 'baselines');
    const saved = await runCli([...TINY, '--save', '--baseline-dir', baselines]);
    expect(saved.code, saved.stderr).toBe(0);
    const file = join(baselines, 'rules.json');
    expect(saved.stdout).toContain(`saved ${file}`);
    const baseline = JSON.parse(readFileSync(file, 'utf8'));
    expect(baseline).toMatchObject({ schema: 'proxylab/micro-baseline', version: 1, suite: 'rules', time_ms: 50 });
    expect(baseline.tasks.map((t: { impl: string }) => t.impl)).toEqual(['baseline', 'optimized']);

    // Doctor the saved means far from anything a run can measure, so the verdict is certain.
    const scaled = (factor: number) => ({ ...baseline, tasks: baseline.tasks.map((t: { mean_ns: number }) => ({ ...t, mean_ns: t.mean_ns * factor, rme_pct: 1 })) });
    writeFileSync(file, JSON.stringify(scaled(1000)));
    const faster = await runCli([...TINY, '--compare', '--baseline-dir', baselines]);
    expect(faster.code, faster.stderr).toBe(0);
    expect(faster.stdout.split('\n').find((l) => l.startsWith('suite'))).toContain('vs baseline');
    expect(rows(faster.stdout).map((row) => row[8])).toEqual([expect.stringMatching(/^-\d+\.\d% improvement$/), expect.stringMatching(/improvement$/)]);

    writeFileSync(file, JSON.stringify(scaled(1 / 1000)));
    const slower = await runCli([...TINY, '--compare', '--save', '--baseline-dir', baselines]);
    expect(slower.code).toBe(1);
    expect(slower.stdout).toMatch(/REGRESSION/);
    expect(slower.stderr).toMatch(/regression\(s\) against the baseline: rules\/drop \+ logging\/baseline/);
    // A regressing run does not replace the baseline it regressed against.
    expect(slower.stdout).not.toContain('saved ');
    expect(JSON.parse(readFileSync(file, 'utf8')).tasks[0].mean_ns).toBeCloseTo(baseline.tasks[0].mean_ns / 1000, 6);
  });

  it('a missing, corrupt or wrong-version baseline is a usage error (exit 2) naming the file', async () => {
    const baselines = join(dir, 'bad');
    const file = join(baselines, 'rules.json');
    const missing = await runCli([...TINY, '--compare', '--baseline-dir', baselines]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`${file}: no baseline for suite "rules"`);

    const saved = await runCli([...TINY, '--save', '--baseline-dir', baselines]);
    expect(saved.code, saved.stderr).toBe(0);
    const good = readFileSync(file, 'utf8');

    writeFileSync(file, good.slice(0, good.length / 2));
    const corrupt = await runCli([...TINY, '--compare', '--baseline-dir', baselines]);
    expect(corrupt.code).toBe(2);
    expect(corrupt.stderr).toContain(`${file}: not valid JSON`);
    expect(corrupt.stdout).toBe(''); // rejected before anything was measured

    writeFileSync(file, JSON.stringify({ ...JSON.parse(good), version: 99 }));
    const version = await runCli([...TINY, '--compare', '--baseline-dir', baselines]);
    expect(version.code).toBe(2);
    expect(version.stderr).toContain(`${file}: version: expected 1 (got 99)`);

    writeFileSync(file, JSON.stringify({ ...JSON.parse(good), tasks: [{ case: 'x', impl: 'baseline', mean_ns: -1, rme_pct: 1 }] }));
    const field = await runCli([...TINY, '--compare', '--baseline-dir', baselines]);
    expect(field.code).toBe(2);
    expect(field.stderr).toContain(`${file}: tasks[0]`);
    expect(existsSync(`${file}.tmp`)).toBe(false);
  });

  it('rejects an unknown suite and a bad --time with exit 2', async () => {
    const unknown = await runCli(['micro', '--filter', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('matches no suite (suites: routing, rules, headers, balancer, access-log)');
    const time = await runCli(['micro', '--time', '0']);
    expect(time.code).toBe(2);
  });
});

describe('interval comparison', () => {
  const m = (mean_ns: number, rme_pct: number) => ({ mean_ns, rme_pct });
  it('flags a change only when the intervals do not overlap and it exceeds 5%', () => {
    expect(intervalComparator(m(100, 1), m(120, 1))).toBe('regression');
    expect(intervalComparator(m(100, 1), m(80, 1))).toBe('improvement');
    expect(intervalComparator(m(100, 10), m(115, 10))).toBe('same'); // overlapping intervals
    expect(intervalComparator(m(100, 0.1), m(104, 0.1))).toBe('same'); // separated, but under 5%
    expect(intervalComparator(m(100, 0), m(100, 0))).toBe('same');
  });
});
