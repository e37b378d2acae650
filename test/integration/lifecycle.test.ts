// The proxy as a process: configuration errors exit 2 naming file, field and value; environment
// overrides; hot reload (a bad file is refused and the old snapshot keeps serving, in-flight
// requests survive a good reload); graceful shutdown with requests in flight; admin endpoints.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { stringify } from 'yaml';
import { startOrigin, type TestOrigin } from '../fixtures/origin.js';
import { runCli, simpleConfig, spawnProxy, VARIANTS } from '../fixtures/proxy.js';

const dir = mkdtempSync(join(tmpdir(), 'proxylab-life-'));
let n = 0;
function configFile(config: unknown): string {
  const file = join(dir, `proxy-${++n}.yaml`);
  writeFileSync(file, typeof config === 'string' ? config : stringify(config));
  return file;
}
/** Replace a file the way editors do (write elsewhere, rename over). */
function replaceFile(file: string, config: unknown): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, typeof config === 'string' ? config : stringify(config));
  renameSync(tmp, file);
}
async function until(check: () => boolean | Promise<boolean>, what: string, tries = 300): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never happened: ${what}`);
}
const metric = async (adminUrl: string, line: RegExp) => {
  const text = await (await request(`${adminUrl}/metrics`)).body.text();
  return Number(line.exec(text)?.[1] ?? 0);
};

let origin: TestOrigin;
beforeAll(async () => {
  origin = await startOrigin('o');
});
afterAll(() => origin.close());

describe('configuration errors', () => {
  it('names the file, field path and bad value, and exits 2', async () => {
    const file = configFile({ ...simpleConfig('http://127.0.0.1:1'), routes: [{ name: 'r', upstream: 'missing' }] });
    const result = await runCli(['proxy', '--config', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(file);
    expect(result.stderr).toContain('routes[0].upstream');
    expect(result.stderr).toContain('"missing"');
  });

  it('rejects unknown fields, bad types, bad regexes and YAML syntax errors, each exit 2', async () => {
    const cases: Array<[unknown, string]> = [
      [{ ...simpleConfig('http://127.0.0.1:1'), limts: {} }, 'limts'],
      [{ ...simpleConfig('http://127.0.0.1:1'), limits: { max_body_bytes: 'lots' } }, 'limits.max_body_bytes'],
      [{ ...simpleConfig('http://127.0.0.1:1'), drop: { rules: [{ name: 'x', match_conditions: { path: { patterns: ['(unclosed'] } }, response: { status_code: 400 } }] } }, 'drop.rules[0].match_conditions.path.patterns[0]'],
      ['upstreams: [\n  - name: a\n   targets: x', 'invalid YAML'],
    ];
    for (const [config, expected] of cases) {
      const result = await runCli(['proxy', '--config', configFile(config)]);
      expect(result.code, expected).toBe(2);
      expect(result.stderr, expected).toContain(expected);
      expect(result.stderr).not.toMatch(/^\s+at /m); // no stack trace
    }
  });

  it('substitutes ${VAR} from the environment and names a missing one', async () => {
    const file = configFile('upstreams:\n  - name: a\n    targets: [{ url: "${ORIGIN_URL}" }]\nroutes: [{ name: r, upstream: a }]\n');
    const missing = await runCli(['proxy', '--config', file], { ORIGIN_URL: '' });
    expect(missing.code).toBe(2);
    const unset = await runCli(['proxy', '--config', configFile('upstreams: [{ name: a, targets: [{ url: "${NOPE_NOT_SET}" }] }]\nroutes: [{ name: r, upstream: a }]\n')]);
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain('NOPE_NOT_SET');
    const proxy = await spawnProxy(['--config', file], { ORIGIN_URL: origin.url });
    try {
      const res = await request(`${proxy.url}/x`);
      expect(res.statusCode).toBe(200);
      await res.body.dump();
    } finally {
      await proxy.stop();
    }
  });

  it('rejects a bad --flag or --handler with exit 2', async () => {
    expect((await runCli(['proxy', '--upstream', origin.url, '--flag', 'warp=on'])).code).toBe(2);
    expect((await runCli(['proxy', '--upstream', origin.url, '--handler', 'fast'])).code).toBe(2);
    expect((await runCli(['proxy'])).code).toBe(2);
  });
});

describe('environment overrides and admin endpoints', () => {
  it('takes PROXYLAB_HANDLER and PROXYLAB_CONFIG; serves health, ready, metrics, redacted config, schema and stats', async () => {
    const file = configFile({ ...simpleConfig(`http://user:hunter2@127.0.0.1:${origin.port}`), drop: { rules: [{ name: 'd', match_conditions: { path: { patterns: ['^/gone'] } }, response: { status_code: 410, body: 'api_token=abc' } }] } });
    const proxy = await spawnProxy([], { PROXYLAB_CONFIG: file, PROXYLAB_HANDLER: 'baseline' });
    try {
      expect(proxy.output()).toContain('variant baseline');
      await (await request(`${proxy.url}/x`)).body.dump();
      for (const path of ['/health', '/ready']) expect((await request(`${proxy.adminUrl}${path}`)).statusCode).toBe(200);
      const metrics = await (await request(`${proxy.adminUrl}/metrics`)).body.text();
      expect(metrics).toMatch(/proxylab_requests_total\{route="default",status="200",variant="baseline"\} 1/);
      expect(metrics).toMatch(/proxylab_request_duration_seconds_bucket\{le="0.0005",route="default",variant="baseline"\}/);
      const config = await (await request(`${proxy.adminUrl}/config`)).body.text();
      expect(config).not.toContain('hunter2');
      expect(config).toContain('[redacted]');
      const docs = (await (await request(`${proxy.adminUrl}/config/docs`)).body.json()) as { properties: Record<string, unknown> };
      expect(Object.keys(docs.properties)).toEqual(expect.arrayContaining(['upstreams', 'routes', 'logging', 'drop', 'response_logging', 'embedded_url']));
      const stats = (await (await request(`${proxy.adminUrl}/stats`)).body.json()) as Record<string, unknown>;
      expect(stats).toMatchObject({ requests_total: 1, variant: 'baseline', upstream: { fresh_connections_opened: 1 } });
    } finally {
      expect(await proxy.stop()).toBe(0);
    }
  });

  it('measures a GC window: allocated bytes, GC count and pause, CPU, requests', async () => {
    const proxy = await spawnProxy(['--upstream', origin.url]);
    try {
      expect((await request(`${proxy.adminUrl}/stats/gc/stop`, { method: 'POST' })).statusCode).toBe(409);
      await request(`${proxy.adminUrl}/stats/gc/start`, { method: 'POST' });
      // Enough requests to fill the young generation (≥ 16 MB at ~10 KB each), so a GC must run.
      for (let i = 0; i < 3000; i++) await (await request(`${proxy.url}/echo`)).body.dump();
      const window = (await (await request(`${proxy.adminUrl}/stats/gc/stop`, { method: 'POST' })).body.json()) as Record<string, number>;
      expect(window['requests']).toBe(3000);
      expect(window['allocated_bytes']).toBeGreaterThan(3000 * 1000); // a proxied request allocates well over 1 KB of heap
      expect(window['gc_count']).toBeGreaterThanOrEqual(1);
      expect(window).toHaveProperty('gc_pause_us');
      expect(window).toHaveProperty('cpu_us');
    } finally {
      await proxy.stop();
    }
  });
});

describe.each(VARIANTS)('hot reload and shutdown (%s)', (variant) => {
  it('refuses a bad file (log line, metric), keeps serving, then applies a good one without failing in-flight requests', async () => {
    const file = configFile(simpleConfig(origin.url));
    const proxy = await spawnProxy(['--config', file, '--handler', variant]);
    try {
      // An in-flight request that spans both reloads.
      const slow = request(`${proxy.url}/slow-headers?ms=1500`);
      replaceFile(file, 'upstreams: [ this is not valid');
      await until(() => proxy.output().includes('config reload refused'), 'refusal logged');
      expect(await metric(proxy.adminUrl, /proxylab_config_reloads_total\{result="failed"\} (\d+)/)).toBeGreaterThanOrEqual(1);
      const still = await request(`${proxy.url}/echo`);
      expect(still.statusCode).toBe(200);
      await still.body.dump();

      replaceFile(file, { ...simpleConfig(origin.url), drop: { rules: [{ name: 'new', match_conditions: { path: { patterns: ['^/blocked'] } }, response: { status_code: 451, body: 'reloaded' } }] } });
      await until(() => proxy.output().includes('config reloaded'), 'good reload applied');
      const blocked = await request(`${proxy.url}/blocked`);
      expect([blocked.statusCode, await blocked.body.text()]).toEqual([451, 'reloaded']);

      // POST /config/reload works too and reports the refused file.
      replaceFile(file, 'routes: []');
      const api = await request(`${proxy.adminUrl}/config/reload`, { method: 'POST' });
      expect(api.statusCode).toBe(422);
      expect(await api.body.json()).toMatchObject({ ok: false, error: expect.stringContaining(file) });

      const res = await slow;
      expect([res.statusCode, await res.body.text()]).toEqual([200, 'late']);
    } finally {
      await proxy.stop();
    }
  });

  it('on SIGTERM finishes requests in flight, refuses new connections, and exits 0', async () => {
    const proxy = await spawnProxy(['--upstream', origin.url, '--handler', variant]);
    const inFlight = [1, 2, 3].map(() => request(`${proxy.url}/slow-headers?ms=700`));
    await until(() => origin.seen.filter((s) => s.url === '/slow-headers?ms=700').length >= 3 * (VARIANTS.indexOf(variant) + 1), 'requests reached the origin');
    const exited = proxy.stop('SIGTERM');
    await until(() => proxy.output().includes('draining'), 'draining started');
    await expect(request(`${proxy.url}/echo`)).rejects.toThrow();
    for (const pending of inFlight) {
      const res = await pending;
      expect([res.statusCode, await res.body.text()]).toEqual([200, 'late']);
    }
    expect(await exited).toBe(0);
  });
});
