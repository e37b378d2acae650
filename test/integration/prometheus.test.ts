// The generated dashboards against a real Prometheus (Debian's `prometheus`, installed by .ci/run):
// both proxy variants run as child processes in front of a test origin, with a configuration that
// makes every metric move (routes, a drop rule, request and response logging rules, an upstream
// that refuses connections, one that health checks take out of rotation, an ok and a failed
// reload, a canary its guard rolls back). Prometheus scrapes their admin ports every second while load runs; then every panel
// query in the committed dashboards/*.json must parse and return data, and every template
// variable must list values. Prometheus runs from dashboards/prometheus.example.yml.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { request } from 'undici';
import { parse, stringify } from 'yaml';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { panelQueries, variableQueries, type PanelQuery } from '../../dashboards/generate.js';
import { CATALOGUE } from '../../proxy/metrics/catalogue.js';
import { startOrigin, type TestOrigin } from '../fixtures/origin.js';
import { spawnProxy, type ChildProxy } from '../fixtures/proxy.js';

const PROMETHEUS = process.env['PROMETHEUS_BIN'] ?? 'prometheus';
const DASHBOARDS = resolve(import.meta.dirname, '../../dashboards');

/**
 * Panels whose metric cannot have a series yet, by dashboard and panel title. Each must still parse
 * and name a catalogue metric. Keep this list short and say why.
 */
const NO_DATA_YET: ReadonlyArray<{ dashboard: string; panel: string; metric: string; why: string }> = [];

/** Grafana's variables, as a dashboard with "All" selected and a 10 s rate window would send them. */
function substitute(expr: string): string {
  return expr
    .replaceAll('$__rate_interval', '10s')
    .replaceAll('$__interval', '5s')
    .replaceAll('$__range', '1m')
    .replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, '.*');
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface PromResponse<T> {
  status: 'success' | 'error';
  errorType?: string;
  error?: string;
  data?: T;
}
type Vector = { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> };

describe('dashboards on a real Prometheus', () => {
  const dir = mkdtempSync(join(tmpdir(), 'proxylab-prometheus-'));
  let origin: TestOrigin;
  const proxies: ChildProxy[] = [];
  let prometheus: ChildProcess | undefined;
  let promOutput = '';
  let promUrl = '';
  let load: Promise<void> | undefined;
  let stopLoad = false;
  const sent: Record<string, number> = {};
  let dashboards: Dashboard[] = [];

  const query = async <T = Vector>(path: string): Promise<PromResponse<T>> => {
    const res = await request(`${promUrl}${path}`);
    return (await res.body.json()) as PromResponse<T>;
  };
  const instant = (expr: string) => query(`/api/v1/query?query=${encodeURIComponent(substitute(expr))}`);

  beforeAll(async () => {
    const version = spawnSync(PROMETHEUS, ['--version'], { encoding: 'utf8' });
    if (version.error || version.status !== 0) {
      throw new Error(`${PROMETHEUS} is not installed (apt-get install prometheus; .ci/run does it): ${version.error?.message ?? version.stderr}`);
    }
    dashboards = readdirSync(DASHBOARDS)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(DASHBOARDS, f), 'utf8')) as Dashboard);

    origin = await startOrigin('o');
    const [refused, down] = [await freePort(), await freePort()];
    for (const variant of ['baseline', 'optimized'] as const) {
      const file = join(dir, `${variant}.yaml`);
      const config = {
        access_log: { path: join(dir, `access-${variant}.log`) },
        upstreams: [
          { name: 'app', targets: [{ url: origin.url }] },
          // Nothing listens here, and nothing takes it out of rotation: every request is an upstream error.
          { name: 'refused', targets: [{ url: `http://127.0.0.1:${refused}` }] },
          // Nothing listens here either; health checks take it out of rotation (target_healthy 0).
          { name: 'down', targets: [{ url: `http://127.0.0.1:${down}` }], health_check: { interval_ms: 200, timeout_ms: 200, unhealthy_threshold: 1 } },
        ],
        routes: [
          { name: 'refused', match: { path: { prefix: '/refused' } }, upstream: 'refused' },
          { name: 'down', match: { path: { prefix: '/down' } }, upstream: 'down' },
          { name: 'app', upstream: 'app' },
        ],
        drop: { rules: [{ name: 'blocked', match_conditions: { path: { patterns: ['^/blocked'] } }, response: { status_code: 403 } }] },
        logging: { rules: [{ name: 'audit', match_conditions: { path: { patterns: ['^/audit'] } }, capture: { path: true, method: true } }] },
        response_logging: { rules: [{ name: 'server-errors', match_conditions: { status_codes: [503] }, capture: { status_code: true } }] },
        // The optimized proxy also serves a canary (the same preset, labelled optimized-canary) whose
        // guard rolls it back on the load's 5xx answers, so the rollback panel has a series.
        ...(variant === 'optimized' && {
          canary: { weight: 50, guard: { window_s: 2, min_samples: 5, rules: [{ metric: 'error_rate', above: 0.1, for_s: 0 }] } },
        }),
      };
      writeFileSync(file, JSON.stringify(config, null, 2));
      const proxy = await spawnProxy(['--config', file, '--handler', variant, '--no-watch']);
      proxies.push(proxy);

      // One reload that works and one that is refused (the proxy keeps serving the old snapshot).
      const ok = await request(`${proxy.adminUrl}/config/reload`, { method: 'POST' });
      await ok.body.dump();
      expect(ok.statusCode).toBe(200);
      writeFileSync(file, JSON.stringify({ ...config, routes: [] }));
      const failed = await request(`${proxy.adminUrl}/config/reload`, { method: 'POST' });
      await failed.body.dump();
      expect(failed.statusCode).toBe(422);
      writeFileSync(file, JSON.stringify(config, null, 2));
    }

    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    // The documented example, pointed at this test's proxies and scraping every second.
    const example = parse(readFileSync(join(DASHBOARDS, 'prometheus.example.yml'), 'utf8')) as {
      global: Record<string, string>;
      scrape_configs: Array<Record<string, unknown> & { static_configs: Array<{ targets: string[] }> }>;
    };
    expect(example.scrape_configs).toHaveLength(1);
    const job = example.scrape_configs[0]!;
    Object.assign(example.global, { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' });
    Object.assign(job, { scrape_interval: '1s', scrape_timeout: '1s' });
    job.static_configs[0]!.targets = proxies.map((p) => new URL(p.adminUrl).host);
    writeFileSync(join(dir, 'prometheus.yml'), stringify(example));
    prometheus = spawn(
      PROMETHEUS,
      [`--config.file=${join(dir, 'prometheus.yml')}`, `--web.listen-address=127.0.0.1:${port}`, `--storage.tsdb.path=${join(dir, 'data')}`, '--log.level=warn'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stdout!.setEncoding('utf8').on('data', (c: string) => (promOutput += c));
    prometheus.stderr!.setEncoding('utf8').on('data', (c: string) => (promOutput += c));
    for (let i = 0; ; i++) {
      if (prometheus.exitCode !== null) throw new Error(`prometheus exited with ${prometheus.exitCode}:\n${promOutput}`);
      const ready = await request(`${promUrl}/-/ready`).then(
        async (r) => (await r.body.dump(), r.statusCode === 200),
        () => false,
      );
      if (ready) break;
      if (i > 100) throw new Error(`prometheus not ready after 10 s:\n${promOutput}`);
      await sleep(100);
    }

    // Load: two clients per proxy, each walking the paths that move each metric, until the
    // queries have been evaluated (or 30 s at most).
    const paths = ['/', '/api/items', '/audit/1', '/blocked/1', '/refused/1', '/down/1', '/status?code=503', '/status?code=404', '/size?n=2048'];
    const deadline = Date.now() + 30_000;
    const client = async (proxy: ChildProxy, offset: number) => {
      for (let i = offset; !stopLoad && Date.now() < deadline; i++) {
        const path = paths[i % paths.length]!;
        const res = await request(`${proxy.url}${path}`);
        await res.body.dump();
        sent[res.statusCode] = (sent[res.statusCode] ?? 0) + 1;
        await sleep(2);
      }
    };
    load = Promise.all(proxies.flatMap((p) => [client(p, 0), client(p, 4)])).then(() => undefined);

    // At least three scrapes of every proxy, and at least two since load started, before querying.
    const loadStarted = Date.now() / 1000;
    for (let i = 0; ; i++) {
      const scrapes = await instant(`count_over_time(${CATALOGUE.configVersion.name}[1m])`);
      const afterLoad = await instant(`timestamp(${CATALOGUE.requests.name}) > ${loadStarted}`);
      const perTarget = scrapes.data?.result.map((r) => Number(r.value[1])) ?? [];
      const seen = new Set(afterLoad.data?.result.map((r) => r.metric['instance']));
      if (perTarget.length === proxies.length && Math.min(...perTarget) >= 3 && seen.size === proxies.length) break;
      if (i > 150) throw new Error(`prometheus did not scrape both proxies 3 times in 15 s:\n${JSON.stringify(scrapes)}\n${promOutput}`);
      await sleep(100);
    }
    await sleep(2000); // two more scrapes of the load, so every rate() has two samples in its window
  });

  afterAll(async () => {
    stopLoad = true;
    await load?.catch(() => {});
    if (prometheus && prometheus.exitCode === null) {
      const exited = once(prometheus, 'exit');
      prometheus.kill('SIGTERM');
      const killer = setTimeout(() => prometheus?.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
    await Promise.all(proxies.map((p) => p.stop()));
    await origin?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the load reached every kind of answer the dashboards show', () => {
    // 200 from the origin, 403 from the drop rule, 502 from the refused upstream, 503 from the one
    // out of rotation (and the origin), 404 from the origin.
    for (const status of ['200', '403', '404', '502', '503']) expect(sent[status] ?? 0, `responses with status ${status}`).toBeGreaterThan(0);
  });

  it('every panel query parses and returns data', async () => {
    const queries = dashboards.flatMap(panelQueries);
    expect(queries.length).toBeGreaterThan(20);
    const problems: string[] = []; // final: does not evaluate, or a wrong exception
    let empty: Array<{ q: PanelQuery; why: string }> = []; // retried: data can trail a scrape
    const noData = (q: PanelQuery) => NO_DATA_YET.find((e) => e.dashboard === q.dashboard && e.panel === q.panel);
    const where = (q: PanelQuery) => `${q.dashboard} › ${q.panel} [${q.refId}]: ${substitute(q.expr)}`;
    let pending = queries;
    for (let attempt = 0; attempt < 5 && pending.length > 0; attempt++) {
      if (attempt > 0) await sleep(1000);
      empty = [];
      for (const q of pending) {
        const res = await instant(q.expr);
        if (res.status !== 'success') {
          problems.push(`${where(q)}\n  does not evaluate: ${res.errorType}: ${res.error}`);
          continue;
        }
        const exception = noData(q);
        if (exception) {
          if (!q.expr.includes(exception.metric)) problems.push(`${where(q)}\n  is excepted from returning data but does not name ${exception.metric}`);
          continue;
        }
        const values = res.data!.result.map((r) => Number(r.value[1]));
        if (!values.some(Number.isFinite)) empty.push({ q, why: values.length === 0 ? 'no series' : `only ${values.join(', ')}` });
      }
      pending = empty.map((e) => e.q);
    }
    problems.push(...empty.map((e) => `${where(e.q)}\n  returns ${e.why}`));
    expect(problems, problems.join('\n')).toEqual([]);
    // The exceptions name panels that exist.
    for (const e of NO_DATA_YET) expect(queries.some((q) => q.dashboard === e.dashboard && q.panel === e.panel), `${e.dashboard} › ${e.panel}`).toBe(true);
  });

  it('the scraped series carry what the load did', async () => {
    const labels = async (expr: string, label: string) =>
      new Set((await instant(expr)).data?.result.map((r) => `${r.metric[label]}=${r.value[1]}`) ?? []);
    const present = async (expr: string, label: string) => new Set([...(await labels(expr, label))].map((l) => l.split('=')[0]));
    const M = CATALOGUE;
    expect(await present(`sum by (variant) (${M.requests.name})`, 'variant')).toEqual(new Set(['baseline', 'optimized', 'optimized-canary']));
    expect(await labels(`sum by (reason) (${M.canaryRollbacks.name})`, 'reason')).toEqual(new Set(['error_rate=1']));
    expect(await present(`sum by (kind) (${M.upstreamErrors.name}{upstream="refused"})`, 'kind')).toEqual(new Set(['refused']));
    expect(await labels(`min by (upstream) (${M.upstreamHealthy.name})`, 'upstream')).toEqual(new Set(['app=1', 'refused=1', 'down=0']));
    expect(await present(`sum by (rule) (${M.drops.name})`, 'rule')).toEqual(new Set(['blocked']));
    expect(await present(`sum by (kind) (${M.logged.name}{rule=~"audit|server-errors"})`, 'kind')).toEqual(new Set(['request', 'response']));
    expect(await labels(`sum by (result) (${M.configReloads.name})`, 'result')).toEqual(new Set(['ok=2', 'failed=2']));
    // Fresh connections are the baseline's transport, pools the optimized one's.
    expect(await present(`sum by (variant) (${M.upstreamConnectionsOpened.name})`, 'variant')).toEqual(new Set(['baseline']));
    expect(await present(`sum by (origin) (${M.upstreamConnections.name})`, 'origin')).toContain(origin.url);
  });

  it('every template variable lists values', async () => {
    const variables = dashboards.flatMap(variableQueries);
    expect(variables.map((v) => v.name)).toContain('instance');
    for (const v of variables) {
      const m = /^label_values\((.+),\s*(\w+)\)$/.exec(v.query);
      expect(m, `${v.dashboard} › $${v.name}: ${v.query}`).not.toBeNull();
      const [, selector, label] = m!;
      const res = await query<string[]>(`/api/v1/label/${label}/values?match[]=${encodeURIComponent(substitute(selector!))}`);
      expect(res.status, `${v.dashboard} › $${v.name}: ${res.error}`).toBe('success');
      expect(res.data, `${v.dashboard} › $${v.name}`).not.toEqual([]);
    }
    // $instance lists both proxies.
    const res = await query<string[]>(`/api/v1/label/instance/values?match[]=${encodeURIComponent(CATALOGUE.configVersion.name)}`);
    expect(res.data?.sort()).toEqual(proxies.map((p) => new URL(p.adminUrl).host).sort());
  });
});
