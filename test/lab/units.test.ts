// Pure helpers of the lab: mixes by weight, overhead against direct per round, atomic writes.
import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { statusCycle } from '../../lab/origin/server.js';
import { expandMix } from '../../lab/load/mix.js';
import { overheadVsDirect } from '../../lab/stats/summary.js';
import { latencyHistogram, recordMs, summarize } from '../../lab/load/histogram.js';
import { writeJsonAtomic } from '../../lab/run/write.js';
import { renderTemplate } from '../../lab/topology/template.js';
import type { RoundResult } from '../../lab/result/schema.js';
import { tempDir } from './helpers.js';

const round = (n: number, rps: number, p50: number, p99: number): RoundResult => ({
  round: n,
  started_at: '',
  duration_s: 1,
  requests: rps,
  metrics: { rps },
  latency_us: { p50, p90: p50, p99, p999: p99, max: p99, mean: p50 },
  driver_cpu_pct: 50,
});

describe('lab helpers', () => {
  it('statusCycle keeps the weights and interleaves', () => {
    const cycle = statusCycle([{ status: 200, weight: 3 }, { status: 503, weight: 1 }]);
    expect(cycle).toHaveLength(4);
    expect(cycle.filter((s) => s === 503)).toHaveLength(1);
    expect(statusCycle([{ status: 200, weight: 50 }, { status: 500, weight: 50 }])).toEqual([200, 500]);
  });

  it('expandMix repeats by weight and shares one body buffer per entry', () => {
    const seq = expandMix([
      { method: 'GET', path: '/a', headers: {}, body_size: 0, weight: 2 },
      { method: 'POST', path: '/b', headers: {}, body_size: 10, weight: 1 },
    ]);
    expect(seq.map((r) => r.path).sort()).toEqual(['/a', '/a', '/b']);
    const post = seq.find((r) => r.method === 'POST')!;
    expect(post.body?.length).toBe(10);
    expect(post.headers['content-type']).toBe('application/octet-stream');
  });

  it('overhead pairs each round with the same round of direct and takes medians', () => {
    const direct = [round(1, 1000, 100, 200), round(2, 2000, 100, 200), round(3, 1000, 100, 200)];
    const target = [round(1, 500, 300, 1000), round(2, 500, 400, 600), round(3, 800, 150, 400)];
    const o = overheadVsDirect(target, direct)!;
    expect(o.rps_ratio).toBe(0.5); // 0.5, 0.25, 0.8
    expect(o.p50_added_us).toBe(200); // 200, 300, 50
    expect(o.p99_added_us).toBe(400); // 800, 400, 200
    expect(o.p99_ratio).toBe(3); // 5, 3, 2
  });

  it('records float milliseconds at µs resolution', () => {
    const h = latencyHistogram();
    for (let i = 0; i < 100; i++) recordMs(h, 0.3125);
    expect(summarize(h).p50).toBe(313);
  });

  it('writes JSON atomically and leaves no temp file', () => {
    const dir = tempDir('atomic');
    const file = join(dir, 'result.json');
    writeJsonAtomic(file, { a: 1 });
    writeJsonAtomic(file, { a: 2 });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ a: 2 });
    expect(readdirSync(dir)).toEqual(['result.json']);
    expect(existsSync(`${file}.${process.pid}.tmp`)).toBe(false);
  });

  it('templates name unknown placeholders', () => {
    expect(renderTemplate('listen {{PORT}};', { PORT: 8080 }, 'x.conf')).toBe('listen 8080;');
    expect(() => renderTemplate('{{NOPE}}', { PORT: 1 }, 'x.conf')).toThrow(/x\.conf.*\{\{NOPE\}\}/);
  });
});
