// logprox request control against both variants: logging rules (path, method, header and body
// conditions; capture), drop rules (fixed response, origin never contacted; default), response
// logging rules (status, header, body). First match wins. Read back from the real access log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startOrigin, type TestOrigin } from '../fixtures/origin.js';
import { simpleConfig, startTestProxy, VARIANTS } from '../fixtures/proxy.js';

interface LogLine {
  id: string;
  path: string;
  status: number;
  log?: Record<string, unknown> & { response?: Record<string, unknown> };
}

describe.each(VARIANTS)('logprox rules (%s)', (variant) => {
  let origin: TestOrigin;
  let lines: LogLine[] = [];
  const statuses: Record<string, number> = {};
  const bodies: Record<string, string> = {};
  let seenBefore = 0;
  const seenPaths = () => origin.seen.slice(seenBefore).map((s) => s.url);

  beforeAll(async () => {
    origin = await startOrigin('o');
    const logFile = join(mkdtempSync(join(tmpdir(), 'proxylab-rules-')), 'access.log');
    const proxy = await startTestProxy(
      simpleConfig(origin.url, {
        access_log: { path: logFile },
        logging: {
          default: false,
          rules: [
            {
              name: 'json-writes',
              match_conditions: { path: { patterns: ['^/api/'] }, methods: ['POST', 'PUT'], headers: { 'content-type': 'application/json.*' } },
              capture: { method: true, path: true, headers: ['content-type', 'x-client'], body: true, timing: true },
            },
            { name: 'secret-body', match_conditions: { body: { patterns: ['password'] } }, capture: { path: true } },
            { name: 'health', match_conditions: { path: { patterns: ['^/health$'] } }, capture: { method: true } },
          ],
        },
        drop: {
          default: false,
          rules: [
            { name: 'old-api', match_conditions: { path: { patterns: ['^/v1/'] } }, response: { status_code: 410, body: 'v1 is gone' } },
            { name: 'bots', match_conditions: { headers: { 'user-agent': '(?i)badbot|^crawler' } }, response: { status_code: 403 } },
            { name: 'evil-body', match_conditions: { methods: ['POST'], body: { patterns: ['DROP TABLE'] } }, response: { status_code: 400, body: 'no' } },
          ],
        },
        response_logging: {
          default: false,
          rules: [
            { name: 'server-errors', match_conditions: { status_codes: [500, 503] }, capture: { status_code: true, body: true, headers: ['x-origin'] } },
            { name: 'origin-header', match_conditions: { headers: { 'x-origin': '^o$' }, body: { patterns: ['teapot'] } }, capture: { status_code: true } },
          ],
        },
      }),
      variant,
    );
    seenBefore = origin.seen.length;
    const send = async (key: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) => {
      const res = await request(`${proxy.url}${path}`, { method: (init.method ?? 'GET') as 'GET', headers: init.headers, body: init.body });
      statuses[key] = res.statusCode;
      bodies[key] = await res.body.text();
    };
    await send('json', '/api/orders', { method: 'POST', headers: { 'content-type': 'application/json', 'x-client': 'c1' }, body: '{"sku":1}' });
    await send('json-get', '/api/orders', { headers: { 'content-type': 'application/json' } });
    await send('secret', '/login', { method: 'POST', body: 'user=a&password=b' });
    await send('health', '/health');
    await send('v1', '/v1/things');
    await send('bot', '/', { headers: { 'user-agent': 'crawler/2.0' } });
    await send('evil', '/q', { method: 'POST', body: "1; DROP TABLE users" });
    await send('fine', '/q', { method: 'POST', body: 'select 1' });
    await send('err', '/status?code=503&body=overloaded');
    await send('tea', '/status?code=418&body=teapot');
    await proxy.shutdown(); // flushes the log
    lines = readFileSync(logFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as LogLine);
  });
  afterAll(() => origin.close());

  const lineFor = (path: string, nth = 0) => lines.filter((l) => l.path === path)[nth];

  it('writes one access-log line per request', () => {
    expect(lines).toHaveLength(10);
  });

  it('logging: all conditions of a rule must match; captures what the rule names', () => {
    expect(lineFor('/api/orders', 0)?.log).toMatchObject({
      rule: 'json-writes',
      method: 'POST',
      path: '/api/orders',
      headers: { 'content-type': 'application/json', 'x-client': 'c1' },
      body: '{"sku":1}',
      received_ms: expect.any(Number),
    });
    expect(lineFor('/api/orders', 1)?.log).toBeUndefined(); // GET: the method condition fails
  });

  it('logging: body patterns and first match wins', () => {
    expect(lineFor('/login')?.log).toEqual({ rule: 'secret-body', path: '/login' });
    expect(lineFor('/health')?.log).toEqual({ rule: 'health', method: 'GET' });
  });

  it('drop: answers with the rule response and never contacts the origin', () => {
    expect([statuses['v1'], bodies['v1']]).toEqual([410, 'v1 is gone']);
    expect(statuses['bot']).toBe(403);
    expect([statuses['evil'], bodies['evil']]).toEqual([400, 'no']);
    expect(statuses['fine']).toBe(200);
    expect(seenPaths()).not.toContain('/v1/things');
    expect(seenPaths().filter((p) => p === '/q')).toHaveLength(1);
    expect(lineFor('/v1/things')?.log).toEqual({ dropped: 'old-api' });
  });

  it('response logging: status codes, header and body conditions, capture', () => {
    expect(lineFor('/status?code=503&body=overloaded')?.log?.response).toEqual({
      rule: 'server-errors',
      status_code: 503,
      body: 'overloaded',
      headers: { 'x-origin': 'o' },
    });
    expect(lineFor('/status?code=418&body=teapot')?.log?.response).toEqual({ rule: 'origin-header', status_code: 418 });
    expect(lineFor('/health')?.log?.response).toBeUndefined();
  });
});

describe.each(VARIANTS)('drop default (%s)', (variant) => {
  it('drops every request that matches no rule with 403 when default is true', async () => {
    const origin = await startOrigin('o');
    const proxy = await startTestProxy(simpleConfig(origin.url, { drop: { default: true, rules: [] } }), variant);
    try {
      const res = await request(`${proxy.url}/anything`);
      expect(res.statusCode).toBe(403);
      await res.body.dump();
      expect(origin.seen).toHaveLength(0);
    } finally {
      await proxy.shutdown();
      await origin.close();
    }
  });
});
