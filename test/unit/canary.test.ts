// Unit tests for the canary's pure parts: the guard's rule timing (for_s, min samples, armed), the
// split's hashing, and the judge's Prometheus parsing, deltas and bucket quantiles.
import { describe, expect, it } from 'vitest';
import { CanaryGuard, isError } from '../../proxy/canary/guard.js';
import { TrafficSplit } from '../../proxy/canary/split.js';
import { delta, parsePrometheus, quantile, variantCounts } from '../../lab/canary/prom.js';
import { judgeStep, sideStats } from '../../lab/canary/judge.js';
import type { IncomingMessage } from 'node:http';

describe('canary guard rules', () => {
  const feed = (g: CanaryGuard, role: 'primary' | 'canary', n: number, ms: number, status = 200) => {
    for (let i = 0; i < n; i++) g.observe(role, status, ms);
  };

  it('breaches only after the metric stayed above for for_s, and only with min samples on both sides', () => {
    const g = new CanaryGuard({ window_s: 10, min_samples: 50, rules: [{ metric: 'p99_ratio', above: 2, for_s: 2 }] });
    feed(g, 'primary', 100, 1);
    feed(g, 'canary', 49, 10);
    expect(g.evaluate(0, true)).toBeUndefined(); // 49 < min samples: unknown
    expect(g.status(0)[0]).not.toHaveProperty('value');
    feed(g, 'canary', 1, 10);
    expect(g.evaluate(1000, true)).toBeUndefined(); // above since t=1 s
    expect(g.status(1000)[0]!.value).toBeCloseTo(10, 0);
    expect(g.evaluate(2000, true)).toBeUndefined(); // 1 s above < 2 s
    const breach = g.evaluate(3000, true); // 2 s above
    expect(breach).toMatchObject({ reason: 'p99_ratio', above: 2, for_s: 2 });
    expect(breach!.canary.requests).toBe(50);
    // A breach resets the window: the same state does not fire again at once.
    expect(g.evaluate(4000, true)).toBeUndefined();
  });

  it('a dip below the threshold restarts the clock; a disarmed guard (weight 0) never breaches', () => {
    const g = new CanaryGuard({ window_s: 1, min_samples: 10, rules: [{ metric: 'error_rate', above: 0.1, for_s: 1 }] });
    feed(g, 'canary', 20, 1, 503);
    expect(g.evaluate(0, true)).toBeUndefined();
    feed(g, 'canary', 20, 1, 200); // window_s 1: only this second counts → 0 % errors
    expect(g.evaluate(1000, true)).toBeUndefined();
    feed(g, 'canary', 20, 1, 500);
    expect(g.evaluate(2000, true)).toBeUndefined(); // clock restarted at 2 s
    feed(g, 'canary', 20, 1, 500);
    expect(g.evaluate(3000, false)).toBeUndefined(); // disarmed
    feed(g, 'canary', 20, 1, 500);
    expect(g.evaluate(4000, true)).toBeUndefined(); // re-armed: clock starts again
    feed(g, 'canary', 20, 1, 500);
    expect(g.evaluate(5000, true)).toMatchObject({ reason: 'error_rate', value: 1 });
  });

  it('counts 5xx as errors, not 4xx or a client that went away', () => {
    expect([500, 502, 504].every(isError)).toBe(true);
    expect([200, 404, 413, 499].some(isError)).toBe(false);
  });
});

describe('traffic split', () => {
  const req = (raw: string[], address = '127.0.0.1') => ({ rawHeaders: raw, socket: { remoteAddress: address } }) as unknown as IncomingMessage;

  it('sticky: raising the weight only moves clients from primary to canary', () => {
    const split = new TrafficSplit({ sticky: { by: 'header', header: 'X-User' }, overrideHeader: false, names: { primary: 'a', canary: 'b' } });
    const users = Array.from({ length: 400 }, (_, i) => req(['x-user', `u${i}`]));
    const canaryAt = (w: number) => {
      split.weight = w;
      return new Set(users.filter((u) => split.roleOf(u) === 'canary').map((u) => u.rawHeaders[1]));
    };
    const at10 = canaryAt(10);
    const at50 = canaryAt(50);
    expect([...at10].every((u) => at50.has(u))).toBe(true);
    expect(at10.size).toBeGreaterThan(20);
    expect(at10.size).toBeLessThan(70);
    expect(canaryAt(0).size).toBe(0);
    expect(canaryAt(100).size).toBe(400);
  });

  it('override header accepts role or variant name, case-insensitive header name, only when enabled', () => {
    const on = new TrafficSplit({ overrideHeader: true, names: { primary: 'optimized', canary: 'optimized+burn50us' } });
    expect(on.roleOf(req(['X-Proxylab-Variant', 'canary']))).toBe('canary');
    expect(on.roleOf(req(['x-proxylab-variant', 'optimized+burn50us']))).toBe('canary');
    on.weight = 100;
    expect(on.roleOf(req(['x-proxylab-variant', 'optimized']))).toBe('primary');
    expect(on.roleOf(req(['x-proxylab-variant', 'nonsense']))).toBe('canary'); // unknown value: the split decides
    const off = new TrafficSplit({ overrideHeader: false, names: { primary: 'p', canary: 'c' } });
    expect(off.roleOf(req(['x-proxylab-variant', 'canary']))).toBe('primary');
  });
});

describe('judge: Prometheus text, deltas, quantiles', () => {
  const text = (n: number) => `# HELP proxylab_requests_total x
# TYPE proxylab_requests_total counter
proxylab_requests_total{route="a",status="200",variant="p"} ${90 * n}
proxylab_requests_total{route="b",status="502",variant="p"} ${10 * n}
proxylab_requests_total{route="a",status="200",variant="c \\"q\\""} ${5 * n}
proxylab_request_duration_seconds_bucket{le="0.001",route="a",variant="p"} ${50 * n}
proxylab_request_duration_seconds_bucket{le="0.002",route="a",variant="p"} ${90 * n}
proxylab_request_duration_seconds_bucket{le="+Inf",route="a",variant="p"} ${90 * n}
proxylab_request_duration_seconds_bucket{le="0.001",route="b",variant="p"} 0
proxylab_request_duration_seconds_bucket{le="0.002",route="b",variant="p"} ${10 * n}
proxylab_request_duration_seconds_bucket{le="+Inf",route="b",variant="p"} ${10 * n}
`;

  it('sums routes per variant, counts 5xx, unescapes label values, and subtracts scrapes', () => {
    const first = variantCounts(parsePrometheus(text(1)));
    expect(first.get('p')).toEqual({ requests: 100, errors: 10, buckets: [[0.001, 50], [0.002, 100], [Infinity, 100]] });
    expect(first.get('c "q"')!.requests).toBe(5);
    const d = delta(first, variantCounts(parsePrometheus(text(3))));
    expect(d.get('p')).toEqual({ requests: 200, errors: 20, buckets: [[0.001, 100], [0.002, 200], [Infinity, 200]] });
  });

  it('interpolates quantiles inside a bucket, as histogram_quantile does', () => {
    const buckets: Array<[number, number]> = [[0.001, 50], [0.002, 100], [Infinity, 100]];
    expect(quantile(buckets, 0.5)).toBeCloseTo(0.001, 9);
    expect(quantile(buckets, 0.99)).toBeCloseTo(0.00198, 9);
    expect(quantile([[0.001, 0], [Infinity, 10]], 0.99)).toBe(0.001); // +Inf bucket: the last finite bound
    expect(quantile([[0.001, 0], [Infinity, 0]], 0.5)).toBeUndefined();
  });

  it('a step fails on latency only past both the ratio and the absolute floor', () => {
    const s = { max_latency_ratio: 1.5, min_delta_ms: 1, max_error_rate: 0.01, min_samples: 10 };
    const side = (p50: number, p99: number, requests = 100, errors = 0) => ({ requests, errors, error_rate: errors / requests, p50_ms: p50, p99_ms: p99 });
    expect(judgeStep(side(0.3, 0.5), side(0.6, 1.2), undefined, s).verdict).toBe('pass'); // 2x but < 1 ms apart
    expect(judgeStep(side(1, 2), side(1, 4), side(1, 2), s)).toMatchObject({ verdict: 'fail', reasons: [expect.stringMatching(/^p99 4\.000 ms vs primary 2\.000 ms/)] });
    expect(judgeStep(side(1, 2), side(1, 2, 100, 5), side(1, 2), s).reasons[0]).toMatch(/error rate 5\.00%/);
    expect(judgeStep(side(1, 2), side(9, 9, 5), side(1, 2), s).verdict).toBe('inconclusive');
    expect(sideStats(undefined)).toEqual({ requests: 0, errors: 0, error_rate: 0 });
    // Collateral: canary and primary alike, but the whole process slowed against weight 0.
    const slowed = judgeStep(side(10, 20), side(11, 21), side(10, 20), s, { all: side(10, 20), weightZero: side(3, 8) });
    expect(slowed).toMatchObject({ verdict: 'fail', reasons: [expect.stringMatching(/whole process slowed: p50 10\.000 ms vs 3\.000 ms at weight 0/)] });
    expect(judgeStep(side(10, 20), side(11, 21), side(10, 20), s, { all: side(3.5, 20), weightZero: side(3, 8) }).verdict).toBe('pass');
  });
});

describe('canary example configuration', () => {
  it('proxy/config/canary.example.yaml validates, with and without ORIGIN_PORT', async () => {
    const { loadConfigFile } = await import('../../proxy/config/load.js');
    const byHand = loadConfigFile('proxy/config/canary.example.yaml', {});
    expect(byHand.upstreams[0]!.targets[0]!.url).toBe('http://127.0.0.1:9000');
    expect(byHand.canary).toMatchObject({ handler: 'optimized', weight: 5, sticky: { by: 'header' }, guard: { window_s: 10 } });
    expect(byHand.canary!.guard!.rules.map((r) => r.metric)).toEqual(['p99_ratio', 'error_rate', 'p99_ms']);
    expect(loadConfigFile('proxy/config/canary.example.yaml', { ORIGIN_PORT: '4321' }).upstreams[0]!.targets[0]!.url).toBe('http://127.0.0.1:4321');
  });
});

describe('canary configuration errors', () => {
  it('name the file, the field and the value; defaults fill the rest', async () => {
    const { resolveConfig } = await import('../../proxy/config/load.js');
    const base = { upstreams: [{ name: 'u', targets: [{ url: 'http://127.0.0.1:9000' }] }], routes: [{ name: 'r', upstream: 'u' }] };
    const attempt = (canary: unknown) => {
      try {
        resolveConfig({ ...base, canary }, 'p.yaml');
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(attempt({ weight: 101 })).toMatch(/^p\.yaml: canary\.weight: must be <= 100 \(got 101\)/);
    expect(attempt({ sticky: { by: 'header' } })).toMatch(/^p\.yaml: canary\.sticky\.header: by: header needs the header to hash/);
    expect(attempt({ guard: { rules: [{ metric: 'p95', above: 2 }] } })).toMatch(/^p\.yaml: canary\.guard\.rules\[0\]\.metric: .*\(got "p95"\)/);
    expect(attempt({ flags: { turbo: true } })).toMatch(/^p\.yaml: canary\.flags\.turbo: unknown field/);
    const filled = resolveConfig({ ...base, canary: { guard: { rules: [{ metric: 'error_rate', above: 0.01 }] } } }, 'p.yaml').canary;
    expect(filled).toEqual({ handler: 'optimized', weight: 0, override_header: false, guard: { window_s: 10, min_samples: 100, rules: [{ metric: 'error_rate', above: 0.01, for_s: 10 }] } });
  });
});
