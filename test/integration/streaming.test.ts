// Where the variants must differ, measured without timing anything: upstream TCP connections
// opened (fresh per request vs pooled), and memory while large bodies pass (streamed vs buffered).
// Both must carry 50 MB each way intact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { pattern, patternHash, startOrigin, type TestOrigin } from '../fixtures/origin.js';
import { simpleConfig, spawnProxy, startTestProxy, VARIANTS } from '../fixtures/proxy.js';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

const MB = 1024 * 1024;

function patternStream(size: number): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= size) return void this.push(null);
      const n = Math.min(256 * 1024, size - offset);
      this.push(pattern(n, offset));
      offset += n;
    },
  });
}

describe.each(VARIANTS)('large bodies (%s)', (variant) => {
  let origin: TestOrigin;
  beforeAll(async () => {
    origin = await startOrigin('o');
  });
  afterAll(() => origin.close());

  it('carries 50 MB each way intact (sha256 compared)', async () => {
    const proxy = await startTestProxy(simpleConfig(origin.url, { limits: { max_body_bytes: 64 * MB } }), variant);
    try {
      const up = await request(`${proxy.url}/hash`, { method: 'POST', body: patternStream(50 * MB), headers: { 'content-length': String(50 * MB) } });
      expect(await up.body.json()).toEqual({ sha256: patternHash(50 * MB), length: 50 * MB });

      const upChunked = await request(`${proxy.url}/hash`, { method: 'POST', body: patternStream(50 * MB) });
      expect(await upChunked.body.json()).toEqual({ sha256: patternHash(50 * MB), length: 50 * MB });

      for (const chunked of ['0', '1']) {
        const down = await request(`${proxy.url}/size?n=${50 * MB}&chunked=${chunked}`);
        const hash = createHash('sha256');
        let length = 0;
        for await (const chunk of down.body) {
          hash.update(chunk as Buffer);
          length += (chunk as Buffer).length;
        }
        expect({ status: down.statusCode, length, sha256: hash.digest('hex') }).toEqual({ status: 200, length: 50 * MB, sha256: patternHash(50 * MB) });
      }
    } finally {
      await proxy.shutdown();
    }
  });

  it('opens upstream connections per its transport: one per request (baseline) or at most the pool size (optimized)', async () => {
    const poolSize = 4;
    const proxy = await startTestProxy(
      {
        upstreams: [{ name: 'default', targets: [{ url: origin.url }], pool: { connections: poolSize } }],
        routes: [{ name: 'default', upstream: 'default' }],
      },
      variant,
    );
    try {
      const before = origin.connections;
      for (let i = 0; i < 200; i++) {
        const res = await request(`${proxy.url}/echo`);
        await res.body.dump();
      }
      const opened = origin.connections - before;
      if (variant === 'baseline') expect(opened).toBe(200);
      else expect(opened).toBeLessThanOrEqual(poolSize);
    } finally {
      await proxy.shutdown();
    }
  });
});

describe('memory while 500 MB streams through (child processes)', () => {
  let origin: TestOrigin;
  beforeAll(async () => {
    origin = await startOrigin('o');
  });
  afterAll(() => origin.close());

  /** Read a response the way a client would (same speed for warm-up and measurement). */
  async function drain(url: string): Promise<number> {
    const res = await request(url);
    let length = 0;
    for await (const chunk of res.body) length += (chunk as Buffer).length;
    return length;
  }

  async function rssGrowth(preset: 'baseline' | 'optimized'): Promise<number> {
    const dir = mkdtempSync(join(tmpdir(), 'proxylab-rss-'));
    const file = join(dir, 'proxy.yaml');
    writeFileSync(file, stringify({ ...simpleConfig(origin.url), access_log: { path: 'off' }, limits: { max_body_bytes: 1024 * MB } }));
    const proxy = await spawnProxy(['--config', file, '--handler', preset]);
    try {
      const stats = async () => (await (await request(`${proxy.adminUrl}/stats`)).body.json()) as { max_rss_bytes: number };
      // Warm up to steady state first. Streaming leaves dead socket-read buffers that V8 frees at
      // its next GC, so peak RSS rises once by a GC-timing-dependent amount (measured 0-60 MB on
      // the first large transfer, then flat even for 2 GB). Peak over peak then measures growth
      // with the body: buffering adds the body's size, streaming adds nothing that scales.
      await drain(`${proxy.url}/size?n=${256 * MB}`);
      const before = await stats();
      expect(await drain(`${proxy.url}/size?n=${500 * MB}`)).toBe(500 * MB);
      const after = await stats();
      return after.max_rss_bytes - before.max_rss_bytes;
    } finally {
      expect(await proxy.stop()).toBe(0);
    }
  }

  it('the optimized variant stays within +32 MB of RSS; the baseline does not', async () => {
    const optimized = await rssGrowth('optimized');
    const baseline = await rssGrowth('baseline');
    expect(optimized).toBeLessThan(32 * MB);
    expect(baseline).toBeGreaterThan(32 * MB);
  }, 120_000);
});
