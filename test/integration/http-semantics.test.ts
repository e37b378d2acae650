// HTTP semantics both variants must share: hop-by-hop removal, forwarding headers, limits, upstream
// failures mapped to 502/504, resets never passed off as complete responses, client aborts cancel
// the upstream request, and ambiguous framing refused before anything is forwarded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import http from 'node:http';
import { request } from 'undici';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { headerMap, startOrigin, type TestOrigin } from '../fixtures/origin.js';
import { startTestProxy, VARIANTS } from '../fixtures/proxy.js';
import type { RunningProxy } from '../../proxy/server.js';

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Send raw bytes, return everything the proxy answered before it closed (or 1 s passed). */
function rawExchange(url: string, bytes: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => socket.write(bytes));
    let data = '';
    socket.setEncoding('utf8').on('data', (c: string) => (data += c));
    const done = () => resolve(data);
    socket.once('close', done).once('error', done);
    setTimeout(() => socket.destroy(), 1000).unref();
  });
}

async function until(check: () => boolean | Promise<boolean>, what: string, tries = 200): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never happened: ${what}`);
}

describe.each(VARIANTS)('HTTP semantics (%s)', (variant) => {
  let origin: TestOrigin;
  let proxy: RunningProxy;
  beforeAll(async () => {
    origin = await startOrigin('o');
    // A port with nothing listening: take one from the OS and close it.
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise((r) => probe.close(r));
    proxy = await startTestProxy(
      {
        limits: { max_body_bytes: 1024, max_header_bytes: 4096 },
        timeouts: { headers_ms: 300, body_ms: 300 },
        upstreams: [
          { name: 'default', targets: [{ url: origin.url }] },
          { name: 'dead', targets: [{ url: `http://127.0.0.1:${port}` }] },
        ],
        routes: [
          { name: 'dead', match: { path: { prefix: '/dead' } }, upstream: 'dead' },
          { name: 'default', upstream: 'default' },
        ],
      },
      variant,
    );
  });
  afterAll(async () => {
    await proxy?.shutdown();
    await origin.close();
  });

  it('removes hop-by-hop headers in both directions, including those Connection names', async () => {
    const res = await rawExchange(
      proxy.url,
      'GET /echo HTTP/1.1\r\nHost: client.example\r\nConnection: close, x-private\r\nX-Private: secret\r\nKeep-Alive: timeout=9\r\nTE: trailers\r\nProxy-Authorization: Basic abc\r\nProxy-Connection: keep-alive\r\nUpgrade: h2c\r\nX-Kept: yes\r\n\r\n',
    );
    const body = JSON.parse(res.slice(res.indexOf('\r\n\r\n') + 4)) as { headers: string[] };
    const seen = headerMap(body.headers);
    for (const name of ['x-private', 'keep-alive', 'te', 'proxy-authorization', 'proxy-connection', 'upgrade', 'trailer', 'transfer-encoding']) {
      expect(seen[name], name).toBeUndefined();
    }
    expect(seen['x-kept']).toEqual(['yes']);

    const back = await request(`${proxy.url}/hop`);
    await back.body.text();
    for (const name of ['x-secret', 'proxy-authenticate', 'trailer', 'upgrade']) expect(back.headers[name], name).toBeUndefined();
    // The proxy's own client connection may carry its own Keep-Alive; the origin's must not pass.
    expect(back.headers['keep-alive']).not.toBe('timeout=99, max=7');
    expect(back.headers['x-kept']).toBe('yes');
    expect(back.headers['via']).toBe('1.1 proxylab');
  });

  it('appends X-Forwarded-For/-Proto/-Host and Via to what the client sent', async () => {
    const res = await request(`${proxy.url}/echo`, {
      headers: { host: 'shop.example', 'x-forwarded-for': '203.0.113.9', via: '1.0 edge', 'x-forwarded-proto': 'https' },
    });
    const seen = headerMap(((await res.body.json()) as { headers: string[] }).headers);
    expect(seen['x-forwarded-for']).toEqual(['203.0.113.9, 127.0.0.1']);
    expect(seen['x-forwarded-proto']).toEqual(['https, http']);
    expect(seen['x-forwarded-host']).toEqual(['shop.example']);
    expect(seen['via']).toEqual(['1.0 edge, 1.1 proxylab']);
    expect(seen['host']).toEqual(['shop.example']);
  });

  it('answers 413 for a body over the limit, declared or chunked', async () => {
    const declared = await request(`${proxy.url}/echo`, { method: 'POST', body: Buffer.alloc(2048) });
    expect(declared.statusCode).toBe(413);
    expect(await declared.body.json()).toMatchObject({ error: 'body_too_large', request_id: expect.any(String) });
    const chunked = await rawExchange(
      proxy.url,
      `POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n${'x'.repeat(2048)}\r\n0\r\n\r\n`,
    );
    expect(chunked).toMatch(/^HTTP\/1\.1 413 /);
  });

  it('answers 431 for oversized headers and 400 for a malformed request, each with a request id', async () => {
    const big = await rawExchange(proxy.url, `GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${'y'.repeat(8000)}\r\n\r\n`);
    expect(big).toMatch(/^HTTP\/1\.1 431 /);
    expect(big).toMatch(/x-request-id: \S+/i);
    const bad = await rawExchange(proxy.url, 'GET / HTTP/1.1\r\nHost a\r\n\r\n');
    expect(bad).toMatch(/^HTTP\/1\.1 400 /);
    expect(bad).not.toMatch(/at .*\.js:\d+/); // no stack trace
  });

  it('refuses ambiguous framing that Node accepts, before contacting the origin', async () => {
    const before = origin.seen.length;
    const cases = [
      'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n',
      'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n',
      'POST / HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      'GET http://other.example/ HTTP/1.1\r\nHost: a\r\n\r\n',
      // Node itself refuses these; they must stay refused.
      'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!',
      'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    ];
    for (const bytes of cases) expect(await rawExchange(proxy.url, bytes), bytes).toMatch(/^HTTP\/1\.1 400 /);
    expect(origin.seen.length).toBe(before);
  });

  it('maps a refused upstream to 502 and a slow one to 504', async () => {
    const refused = await request(`${proxy.url}/dead`);
    expect(refused.statusCode).toBe(502);
    expect(await refused.body.json()).toMatchObject({ error: 'upstream_refused', request_id: expect.any(String) });
    const slow = await request(`${proxy.url}/slow-headers?ms=2000`);
    expect(slow.statusCode).toBe(504);
    expect(await slow.body.json()).toMatchObject({ error: 'upstream_headers_timeout' });
  });

  it('never lets an upstream reset or stall look like a complete response', async () => {
    for (const path of ['/reset-mid-body', '/stall-body']) {
      let outcome: string;
      try {
        const res = await request(`${proxy.url}${path}`);
        if (res.statusCode !== 200) outcome = `status ${res.statusCode}`;
        else outcome = `complete ${(await res.body.arrayBuffer()).byteLength}`;
      } catch (error) {
        outcome = `aborted ${(error as { code?: string }).code}`;
      }
      // Streaming cuts the client connection; buffering answers 502/504 before any byte is sent.
      expect(outcome, path).toMatch(/^aborted|^status 50[24]$/);
    }
  });

  const held = () => origin.seen.filter((r) => r.url === '/hold').length;
  const settled = async () => {
    await until(async () => {
      const stats = (await (await request(`${proxy.adminUrl}/stats`)).body.json()) as { connections: { in_flight: number; downstream_active: number } };
      return stats.connections.in_flight === 0 && stats.connections.downstream_active === 0;
    }, 'proxy back to zero in-flight requests and client connections');
    await until(() => origin.open() <= 64, 'origin connections within the pool size');
  };

  it('cancels the upstream request when the client aborts, with nothing left behind after 1000 aborts', async () => {
    const agent = new http.Agent({ keepAlive: false });
    const abortHeld = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const seen = held();
        const req = http.request(`${proxy.url}/hold`, { agent });
        req.on('error', () => {});
        req.end();
        await until(() => held() > seen, 'origin received the request');
        req.destroy();
      }
    };
    await abortHeld(100); // warm-up: lazy allocations, JIT, pools
    await settled();
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const heldBefore = held();
    const cancelledBefore = origin.cancelled;
    await abortHeld(1000);
    expect(held() - heldBefore).toBe(1000);
    await until(() => origin.cancelled - cancelledBefore === 1000, 'origin saw all 1000 upstream requests end');
    await settled();
    gc();
    // A leak of even one small object graph per aborted request (a closure over req/res) is
    // well over 2 KiB; the bound is a count of bytes, not a timing.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(1000 * 2048);
    agent.destroy();
  });

  it('aborting mid-upload cancels a streamed upstream request; a buffering proxy never forwards it', async () => {
    const agent = new http.Agent({ keepAlive: false });
    const heldBefore = held();
    const cancelledBefore = origin.cancelled;
    for (let i = 0; i < 100; i++) {
      const req = http.request(`${proxy.url}/hold`, { method: 'POST', agent, headers: { 'content-length': 1000 } });
      req.on('error', () => {});
      req.write(Buffer.alloc(100));
      await new Promise((r) => setTimeout(r, 5));
      req.destroy();
    }
    await settled();
    const reached = held() - heldBefore;
    if (variant === 'optimized') {
      expect(reached).toBeGreaterThan(0);
      await until(() => origin.cancelled - cancelledBefore === reached, 'every upload that reached the origin ended there');
    } else {
      expect(reached).toBe(0);
    }
    agent.destroy();
  });
});
