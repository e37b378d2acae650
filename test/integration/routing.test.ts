// Routing, balancing and the embedded-URL allow-list, against both variants.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import http from 'node:http';
import { startOrigin, type TestOrigin } from '../fixtures/origin.js';
import { startTestProxy, VARIANTS } from '../fixtures/proxy.js';
import type { RunningProxy } from '../../proxy/server.js';

async function originOf(proxy: RunningProxy, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<string> {
  const res = await request(`${proxy.url}${path}`, { method: method as 'GET', headers });
  await res.body.text();
  return res.statusCode === 200 ? String(res.headers['x-origin']) : `status ${res.statusCode}`;
}

describe.each(VARIANTS)('routing (%s)', (variant) => {
  let a: TestOrigin, b: TestOrigin, c: TestOrigin;
  let proxy: RunningProxy;
  beforeAll(async () => {
    [a, b, c] = await Promise.all([startOrigin('a'), startOrigin('b'), startOrigin('c')]);
    proxy = await startTestProxy(
      {
        upstreams: [
          { name: 'A', targets: [{ url: a.url }] },
          { name: 'B', targets: [{ url: b.url }] },
          { name: 'C', targets: [{ url: c.url }] },
          { name: 'RR', targets: [{ url: a.url }, { url: b.url }] },
          { name: 'WRR', balancer: 'weighted_round_robin', targets: [{ url: a.url, weight: 3 }, { url: c.url, weight: 1 }] },
        ],
        routes: [
          { name: 'host', match: { host: 'api.example.com' }, upstream: 'B' },
          { name: 'wild', match: { host: '*.internal' }, upstream: 'C' },
          { name: 'exact', match: { path: { exact: '/exact' } }, upstream: 'B' },
          { name: 'regex', match: { path: { regex: '^/v[0-9]+/items$' } }, upstream: 'C' },
          { name: 'post-only', match: { path: { prefix: '/write' }, methods: ['POST'] }, upstream: 'B' },
          { name: 'header', match: { headers: { 'x-tenant': { exact: 'blue' } } }, upstream: 'C' },
          { name: 'header-re', match: { headers: { 'x-tenant': { regex: '^gr' } } }, upstream: 'B' },
          { name: 'query', match: { query: { beta: { exact: '1' } } }, upstream: 'C' },
          { name: 'rr', match: { path: { prefix: '/rr' } }, upstream: 'RR' },
          { name: 'wrr', match: { path: { prefix: '/wrr' } }, upstream: 'WRR' },
          { name: 'low', priority: -1, match: { path: { prefix: '/' } }, upstream: 'A' },
          { name: 'high', priority: 10, match: { path: { prefix: '/priority' } }, upstream: 'B' },
        ],
      },
      variant,
    );
  });
  afterAll(async () => {
    await proxy.shutdown();
    await Promise.all([a.close(), b.close(), c.close()]);
  });

  it('matches host, wildcard host, exact and regex paths, method, header and query', async () => {
    expect(await originOf(proxy, '/', { host: 'api.example.com' })).toBe('b');
    expect(await originOf(proxy, '/', { host: 'db.internal:8080' })).toBe('c');
    expect(await originOf(proxy, '/', { host: 'internal' })).toBe('a');
    expect(await originOf(proxy, '/exact')).toBe('b');
    expect(await originOf(proxy, '/exact/more')).toBe('a');
    expect(await originOf(proxy, '/v2/items')).toBe('c');
    expect(await originOf(proxy, '/vx/items')).toBe('a');
    expect(await originOf(proxy, '/write', {}, 'POST')).toBe('b');
    expect(await originOf(proxy, '/write', {}, 'GET')).toBe('a');
    expect(await originOf(proxy, '/', { 'x-tenant': 'blue' })).toBe('c');
    expect(await originOf(proxy, '/', { 'x-tenant': 'green' })).toBe('b');
    expect(await originOf(proxy, '/?beta=1')).toBe('c');
    expect(await originOf(proxy, '/?beta=2')).toBe('a');
  });

  it('picks the higher priority route regardless of file order', async () => {
    expect(await originOf(proxy, '/priority')).toBe('b');
  });

  it('round robin alternates targets; smooth weighted spreads 3:1', async () => {
    const rr = [];
    for (let i = 0; i < 4; i++) rr.push(await originOf(proxy, '/rr'));
    expect(rr.sort()).toEqual(['a', 'a', 'b', 'b']);
    const wrr = [];
    for (let i = 0; i < 8; i++) wrr.push(await originOf(proxy, '/wrr'));
    expect(wrr.filter((o) => o === 'a')).toHaveLength(6);
    // Smooth: the light target never waits more than three picks.
    expect(wrr.join('')).not.toMatch(/aaaa/);
  });
});

describe.each(VARIANTS)('embedded-URL mode (%s)', (variant) => {
  let origin: TestOrigin, fallback: TestOrigin;
  beforeAll(async () => {
    [origin, fallback] = await Promise.all([startOrigin('embedded'), startOrigin('fallback')]);
  });
  afterAll(async () => Promise.all([origin.close(), fallback.close()]));

  const config = (embedded: Record<string, unknown> | undefined) => ({
    upstreams: [{ name: 'default', targets: [{ url: fallback.url }] }],
    routes: [{ name: 'default', upstream: 'default' }],
    ...(embedded && { embedded_url: embedded }),
  });

  it('is off by default: the path is routed like any other', async () => {
    const proxy = await startTestProxy(config(undefined), variant);
    try {
      const res = await request(`${proxy.url}/${origin.url}/v1/x`);
      const body = (await res.body.json()) as { origin: string; url: string };
      expect(body.origin).toBe('fallback');
      expect(body.url).toBe(`/${origin.url}/v1/x`);
    } finally {
      await proxy.shutdown();
    }
  });

  it('forwards to an allowed host and refuses any other with 403', async () => {
    const proxy = await startTestProxy(config({ enabled: true, allowed_hosts: [`127.0.0.1:${origin.port}`] }), variant);
    try {
      const ok = await request(`${proxy.url}/${origin.url}/v1/x?q=1`);
      const body = (await ok.body.json()) as { origin: string; url: string };
      expect(ok.statusCode).toBe(200);
      expect(body).toMatchObject({ origin: 'embedded', url: '/v1/x?q=1' });
      const denied = await request(`${proxy.url}/${fallback.url}/v1/x`);
      expect(denied.statusCode).toBe(403);
      expect(await denied.body.json()).toMatchObject({ error: 'embedded_host_not_allowed' });
      const deniedOther = await request(`${proxy.url}/http://localhost:${origin.port}/v1/x`);
      expect(deniedOther.statusCode).toBe(403);
      await deniedOther.body.dump();
    } finally {
      await proxy.shutdown();
    }
  });
});

describe.each(VARIANTS)('active health checks (%s)', (variant) => {
  it('takes a failing target out of rotation and brings it back when it recovers', async () => {
    const healthy = await startOrigin('healthy');
    const flaky = await startOrigin('flaky');
    const proxy = await startTestProxy(
      {
        upstreams: [
          {
            name: 'u',
            targets: [{ url: healthy.url }, { url: flaky.url }],
            health_check: { path: '/status?code=200', interval_ms: 20, timeout_ms: 200, unhealthy_threshold: 2, healthy_threshold: 1 },
          },
        ],
        routes: [{ name: 'r', upstream: 'u' }],
      },
      variant,
    );
    const spread = async (n: number) => {
      const seen: string[] = [];
      for (let i = 0; i < n; i++) seen.push(await originOf(proxy, '/x'));
      return new Set(seen);
    };
    const until = async (check: () => Promise<boolean>) => {
      for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 10));
    };
    try {
      expect(await spread(4)).toEqual(new Set(['healthy', 'flaky']));
      // The flaky origin starts failing its health endpoint.
      const port = flaky.port;
      await flaky.close();
      await until(async () => (await spread(4)).size === 1);
      expect(await spread(6)).toEqual(new Set(['healthy']));
      const metrics = await (await request(`${proxy.adminUrl}/metrics`)).body.text();
      expect(metrics).toContain(`proxylab_upstream_target_healthy{upstream="u",origin="http://127.0.0.1:${port}"} 0`);
      // It recovers on the same port: one good probe brings it back.
      const revived = http.createServer((_req, res) => res.writeHead(200, { 'x-origin': 'flaky' }).end('ok'));
      await new Promise<void>((r) => revived.listen(port, '127.0.0.1', r));
      try {
        await until(async () => (await spread(4)).size === 2);
        expect(await spread(4)).toEqual(new Set(['healthy', 'flaky']));
      } finally {
        revived.closeAllConnections();
        await new Promise((r) => revived.close(r));
      }
    } finally {
      await proxy.shutdown();
      await healthy.close();
    }
  });
});
