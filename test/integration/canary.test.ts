// The live canary in one proxy process: the weighted split (counted in the proxy's own metrics),
// stickiness, the override header, the admin API, and the guard rolling back a canary that is slow
// (injected burn) or failing. Real sockets; nothing here asserts timing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { request } from 'undici';
import { resolveConfig } from '../../proxy/config/load.js';
import { resolveFlags, type HandlerFlags } from '../../proxy/handlers/flags.js';
import { startProxy, type RunningProxy } from '../../proxy/server.js';
import { CATALOGUE } from '../../proxy/metrics/catalogue.js';
import { startOrigin, type TestOrigin } from '../fixtures/origin.js';
import { runCli, simpleConfig, spawnProxy } from '../fixtures/proxy.js';

let origin: TestOrigin;
const running: RunningProxy[] = [];
beforeAll(async () => {
  origin = await startOrigin('o');
});
afterAll(async () => {
  await Promise.all(running.map((p) => p.shutdown()));
  await origin.close();
});

interface Started {
  proxy: RunningProxy;
  logs: string[];
}

async function startCanary(canary: Record<string, unknown>, canaryFlags: Partial<HandlerFlags> = {}): Promise<Started> {
  const logs: string[] = [];
  const config = resolveConfig(
    { listen: '127.0.0.1:0', admin: { listen: '127.0.0.1:0' }, access_log: { path: 'off' }, ...simpleConfig(origin.url), canary },
    'test',
  );
  const proxy = await startProxy({
    config,
    variant: { name: 'primary', flags: resolveFlags('optimized') },
    canary: { name: 'canary', flags: resolveFlags('optimized', canaryFlags) },
    log: (line) => logs.push(line),
  });
  running.push(proxy);
  return { proxy, logs };
}

/** Requests answered per variant, from the proxy's own /metrics. */
async function perVariant(adminUrl: string): Promise<Record<string, number>> {
  const text = await (await request(`${adminUrl}/metrics`)).body.text();
  const out: Record<string, number> = {};
  const line = new RegExp(`^${CATALOGUE.requests.name}\\{[^}]*variant="([^"]+)"[^}]*\\} (\\d+)`, 'gm');
  for (const m of text.matchAll(line)) out[m[1]!] = (out[m[1]!] ?? 0) + Number(m[2]);
  return out;
}

async function metricValue(adminUrl: string, pattern: RegExp): Promise<number | undefined> {
  const text = await (await request(`${adminUrl}/metrics`)).body.text();
  const m = pattern.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** Send `count` GETs, `concurrency` at a time, through one dispatcher. */
async function send(url: string, count: number, opts: { concurrency?: number; headers?: (i: number) => Record<string, string>; path?: string } = {}) {
  let next = 0;
  const statuses: number[] = [];
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const res = await request(`${url}${opts.path ?? '/'}`, { headers: opts.headers?.(i) ?? {} });
      await res.body.dump();
      statuses.push(res.statusCode);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 1 }, worker));
  return statuses;
}

/** One GET from a given source address, on a fresh connection. */
function getFrom(url: string, localAddress: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(`${url}/`, { localAddress, agent: false }, (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
      })
      .once('error', reject);
  });
}

const canaryState = async (adminUrl: string) => (await (await request(`${adminUrl}/canary`)).body.json()) as Record<string, any>;
const put = async (adminUrl: string, body: string) => {
  const res = await request(`${adminUrl}/canary`, { method: 'PUT', body, headers: { 'content-type': 'application/json' } });
  return { status: res.statusCode, body: (await res.body.json()) as Record<string, any> };
};

describe('live canary split', () => {
  it('a 25% split sends 25% ± 3 points of 4000 requests to the canary', async () => {
    const { proxy } = await startCanary({ weight: 25 });
    await send(proxy.url, 4000, { concurrency: 16 });
    const counts = await perVariant(proxy.adminUrl);
    expect((counts['primary'] ?? 0) + (counts['canary'] ?? 0)).toBe(4000);
    const share = (counts['canary'] ?? 0) / 4000;
    expect(share).toBeGreaterThanOrEqual(0.22);
    expect(share).toBeLessThanOrEqual(0.28);
    expect(await metricValue(proxy.adminUrl, new RegExp(`^${CATALOGUE.canaryWeight.name} (\\S+)`, 'm'))).toBe(25);
  });

  it('sticky by header: each header value always lands on the same variant', async () => {
    const { proxy } = await startCanary({ weight: 50, sticky: { by: 'header', header: 'x-user' } });
    const seen = new Map<string, string>();
    for (let user = 0; user < 20; user++) {
      const before = await perVariant(proxy.adminUrl);
      await send(proxy.url, 10, { headers: () => ({ 'x-user': `user-${user}` }) });
      const after = await perVariant(proxy.adminUrl);
      const moved = Object.keys(after).filter((v) => (after[v] ?? 0) > (before[v] ?? 0));
      expect(moved, `user-${user}`).toHaveLength(1);
      expect(after[moved[0]!]! - (before[moved[0]!] ?? 0)).toBe(10);
      seen.set(`user-${user}`, moved[0]!);
    }
    // 20 users at 50%: both variants serve someone (the hash is deterministic, so this is fixed).
    expect(new Set(seen.values())).toEqual(new Set(['primary', 'canary']));
  });

  it('sticky by client address: one client (source address) always lands on the same variant', async () => {
    const { proxy } = await startCanary({ weight: 50, sticky: { by: 'client_address' } });
    const seen = new Set<string>();
    for (let host = 2; host <= 13; host++) {
      // Every 127.x address is loopback on Linux, so each source address is a distinct client.
      // (node:http, since undici's connector does not pass localAddress on.)
      const before = await perVariant(proxy.adminUrl);
      for (let i = 0; i < 8; i++) await getFrom(proxy.url, `127.0.0.${host}`);
      const after = await perVariant(proxy.adminUrl);
      const moved = Object.keys(after).filter((v) => (after[v] ?? 0) > (before[v] ?? 0));
      expect(moved, `127.0.0.${host}`).toHaveLength(1);
      seen.add(moved[0]!);
    }
    expect(seen).toEqual(new Set(['primary', 'canary']));
  });

  it('honours x-proxylab-variant only when override_header is enabled', async () => {
    const off = await startCanary({ weight: 0 });
    await send(off.proxy.url, 20, { headers: () => ({ 'x-proxylab-variant': 'canary' }) });
    expect(await perVariant(off.proxy.adminUrl)).toEqual({ primary: 20 });

    const on = await startCanary({ weight: 0, override_header: true });
    await send(on.proxy.url, 20, { headers: (i) => ({ 'x-proxylab-variant': i % 2 ? 'canary' : 'primary' }) });
    await send(on.proxy.url, 5);
    expect(await perVariant(on.proxy.adminUrl)).toEqual({ primary: 15, canary: 10 });
  });
});

describe('command line', () => {
  it('--canary, --canary-flag and --canary-weight start a split; bad values exit 2 naming the option', async () => {
    const child = await spawnProxy(['--upstream', origin.url, '--canary', 'optimized', '--canary-flag', 'burn=100us', '--canary-weight', '30']);
    try {
      expect(child.output()).toContain('canary optimized+burn100us at 30%');
      const state = await canaryState(child.adminUrl);
      expect(state).toMatchObject({ weight: 30, variants: { primary: 'optimized', canary: 'optimized+burn100us' } });
    } finally {
      expect(await child.stop()).toBe(0);
    }
    const weight = await runCli(['proxy', '--upstream', origin.url, '--canary', 'baseline', '--canary-weight', '150']);
    expect(weight.code).toBe(2);
    expect(weight.stderr).toMatch(/--canary-weight: must be a number from 0 to 100 \(got "150"\)/);
    const flag = await runCli(['proxy', '--upstream', origin.url, '--canary-flag', 'turbo=on']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/--canary-flag.*unknown flag "turbo"/);
  });
});

describe('GET/PUT /canary', () => {
  it('reads and sets the weight; bad input is 400 naming field and value', async () => {
    const { proxy, logs } = await startCanary({ weight: 5 });
    const state = await canaryState(proxy.adminUrl);
    expect(state).toMatchObject({ enabled: true, weight: 5, variants: { primary: 'primary', canary: 'canary' }, last_rollback: null });

    const bad: Array<[string, RegExp]> = [
      ['{"weight": 101}', /weight: must be a number from 0 to 100 \(got 101\)/],
      ['{"weight": "50"}', /weight: .*\(got "50"\)/],
      ['{"weight": -1}', /got -1/],
      ['{}', /weight: required/],
      ['{"weight": 5, "wieght": 6}', /wieght: unknown field/],
      ['[50]', /body: must be an object/],
      ['fifty', /body: not JSON \(got "fifty"\)/],
    ];
    for (const [body, message] of bad) {
      const res = await put(proxy.adminUrl, body);
      expect(res.status, body).toBe(400);
      expect(res.body['message'], body).toMatch(message);
    }
    expect((await canaryState(proxy.adminUrl))['weight']).toBe(5);

    const ok = await put(proxy.adminUrl, '{"weight": 40}');
    expect(ok.status).toBe(200);
    expect(ok.body['weight']).toBe(40);
    expect(await metricValue(proxy.adminUrl, new RegExp(`^${CATALOGUE.canaryWeight.name} (\\S+)`, 'm'))).toBe(40);
    expect(logs.some((l) => l.includes('"msg":"canary weight set"') && l.includes('"weight":40'))).toBe(true);
  });

  it('without a canary: GET says disabled, PUT is 409, the weight gauge is 0', async () => {
    const logs: string[] = [];
    const proxy = await startProxy({
      config: resolveConfig({ listen: '127.0.0.1:0', admin: { listen: '127.0.0.1:0' }, access_log: { path: 'off' }, ...simpleConfig(origin.url) }, 'test'),
      variant: { name: 'optimized', flags: resolveFlags('optimized') },
      log: (l) => logs.push(l),
    });
    running.push(proxy);
    expect(await canaryState(proxy.adminUrl)).toEqual({ enabled: false, weight: 0 });
    expect((await put(proxy.adminUrl, '{"weight": 10}')).status).toBe(409);
    expect(await metricValue(proxy.adminUrl, new RegExp(`^${CATALOGUE.canaryWeight.name} (\\S+)`, 'm'))).toBe(0);
  });
});

describe('canary guard', () => {
  const rollbacks = (adminUrl: string, reason: string) =>
    metricValue(adminUrl, new RegExp(`^${CATALOGUE.canaryRollbacks.name}\\{reason="${reason}"\\} (\\S+)`, 'm'));

  /** Keep traffic flowing until the guard has set the weight to 0 (or give up after a while). */
  async function driveUntilRolledBack(s: Started, opts: Parameters<typeof send>[2], giveUpAfterMs: number): Promise<void> {
    const giveUp = Date.now() + giveUpAfterMs;
    while (Date.now() < giveUp) {
      await send(s.proxy.url, 20, opts);
      if ((await canaryState(s.proxy.adminUrl))['weight'] === 0) return;
    }
    throw new Error(`the guard did not roll back within ${giveUpAfterMs} ms; state ${JSON.stringify(await canaryState(s.proxy.adminUrl))}`);
  }

  it('rolls back a canary with injected burn (p99 ratio rule): weight 0, counter, JSON log line', async () => {
    // 20 ms of burn per canary request against a sub-millisecond primary: far above 2x on any
    // machine, since requests are sent one at a time (no queueing shared between the variants).
    const s = await startCanary(
      { weight: 50, guard: { window_s: 5, min_samples: 20, rules: [{ metric: 'p99_ratio', above: 2, for_s: 1 }] } },
      { burn_us: 20_000 },
    );
    expect(await rollbacks(s.proxy.adminUrl, 'p99_ratio')).toBeUndefined();
    await driveUntilRolledBack(s, {}, 30_000);
    const state = await canaryState(s.proxy.adminUrl);
    expect(state['weight']).toBe(0);
    expect(state['guard']['state']).toBe('rolled_back');
    expect(state['last_rollback']).toMatchObject({ reason: 'p99_ratio', above: 2, weight: 50 });
    expect(state['last_rollback']['value']).toBeGreaterThan(2);
    expect(await rollbacks(s.proxy.adminUrl, 'p99_ratio')).toBe(1);
    expect(await metricValue(s.proxy.adminUrl, new RegExp(`^${CATALOGUE.canaryWeight.name} (\\S+)`, 'm'))).toBe(0);
    const line = s.logs.map((l) => JSON.parse(l) as Record<string, any>).find((l) => l['msg'] === 'canary rolled back by the guard');
    expect(line).toMatchObject({ level: 'warn', reason: 'p99_ratio', canary: { variant: 'canary' }, primary: { variant: 'primary' } });
    // Rolled back means rolled back: no more canary traffic.
    const before = await perVariant(s.proxy.adminUrl);
    await send(s.proxy.url, 50);
    expect((await perVariant(s.proxy.adminUrl))['canary']).toBe(before['canary']);
  });

  it('rolls back a canary whose requests fail (error-rate rule)', async () => {
    // The origin fails what the canary sends: test traffic pinned with the override header, the
    // canary's requests to a route answering 500, the primary's to one answering 200.
    const s = await startCanary({
      weight: 10,
      override_header: true,
      guard: { window_s: 5, min_samples: 20, rules: [{ metric: 'error_rate', above: 0.05, for_s: 1 }, { metric: 'p99_ms', above: 10_000, for_s: 1 }] },
    });
    const pinned = (i: number) => ({ 'x-proxylab-variant': i % 2 ? 'canary' : 'primary' });
    let rolledBack = false;
    // The guard ticks once a second: keep traffic flowing until it acts (bounded by time, not rounds,
    // since a fast machine sends hundreds of rounds between two ticks).
    const giveUp = Date.now() + 30_000;
    while (!rolledBack && Date.now() < giveUp) {
      await send(s.proxy.url, 10, { headers: () => pinned(1), path: '/status?code=500' });
      await send(s.proxy.url, 10, { headers: () => pinned(0), path: '/status?code=200' });
      rolledBack = (await canaryState(s.proxy.adminUrl))['weight'] === 0;
    }
    expect(rolledBack).toBe(true);
    const state = await canaryState(s.proxy.adminUrl);
    expect(state['last_rollback']).toMatchObject({ reason: 'error_rate', weight: 10, value: 1 });
    expect(await rollbacks(s.proxy.adminUrl, 'error_rate')).toBe(1);
    expect(await rollbacks(s.proxy.adminUrl, 'p99_ms')).toBeUndefined();
  });

  it('too few samples never breach', async () => {
    const s = await startCanary(
      { weight: 50, guard: { window_s: 5, min_samples: 1000, rules: [{ metric: 'p99_ratio', above: 2, for_s: 0 }] } },
      { burn_us: 20_000 },
    );
    await send(s.proxy.url, 60);
    // Three guard ticks see at most ~30 canary requests, far under 1000.
    await new Promise((r) => setTimeout(r, 3100));
    expect((await canaryState(s.proxy.adminUrl))['weight']).toBe(50);
    expect(await rollbacks(s.proxy.adminUrl, 'p99_ratio')).toBeUndefined();
  });
});
