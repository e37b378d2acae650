// The admin listener, on its own port (loopback by default): health, readiness, Prometheus
// metrics, the configuration (redacted) and its schema, reload, and the lab's /stats probes.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { configJsonSchema } from '../config/json-schema.js';
import type { SnapshotStore, ReloadResult } from '../config/store.js';
import type { ProcessStats } from './stats.js';
import { redact } from './redact.js';

export interface AdminDeps {
  readonly store: SnapshotStore;
  readonly registry: Registry;
  readonly stats: ProcessStats;
  readonly reload: () => ReloadResult;
  readonly isDraining: () => boolean;
  /** Refresh gauges that are read rather than counted (pool connections), before a scrape. */
  readonly beforeScrape?: () => void;
  /** Extra routes (the canary API), tried first; return true when handled. */
  readonly extraRoutes?: (req: IncomingMessage, res: ServerResponse, body: string) => boolean | Promise<boolean>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, null, 2);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readSmallBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > 1_000_000) req.destroy(new Error('admin request body too large'));
    });
    req.once('end', () => resolve(text));
    req.once('error', reject);
  });
}

export function createAdminServer(deps: AdminDeps): http.Server {
  return http.createServer((req, res) => {
    void route(deps, req, res).catch((error: Error) => {
      if (!res.headersSent) json(res, 500, { error: 'admin_error', message: error.message });
      else res.destroy();
    });
  });
}

async function route(deps: AdminDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  const method = req.method ?? 'GET';
  const body = method === 'GET' || method === 'HEAD' ? '' : await readSmallBody(req);
  if (deps.extraRoutes && (await deps.extraRoutes(req, res, body))) return;

  const key = `${method} ${path}`;
  switch (key) {
    case 'GET /health':
      return json(res, 200, { status: 'ok' });
    case 'GET /ready':
      return deps.isDraining()
        ? json(res, 503, { status: 'draining' })
        : json(res, 200, { status: 'ready', config_version: deps.store.current.version });
    case 'GET /metrics': {
      deps.beforeScrape?.();
      const text = await deps.registry.metrics();
      res.writeHead(200, { 'content-type': deps.registry.contentType });
      res.end(text);
      return;
    }
    case 'GET /config': {
      const snapshot = deps.store.current;
      return json(res, 200, { version: snapshot.version, source: snapshot.source, config: redact(snapshot.config) });
    }
    case 'GET /config/docs':
      return json(res, 200, JSON.parse(configJsonSchema()));
    case 'POST /config/reload': {
      const result = deps.reload();
      return json(res, result.ok ? 200 : 422, result);
    }
    case 'GET /stats':
      return json(res, 200, deps.stats.snapshot());
    case 'POST /stats/gc/start':
      deps.stats.startWindow();
      res.writeHead(204).end();
      return;
    case 'POST /stats/gc/stop': {
      const window = deps.stats.stopWindow();
      return window ? json(res, 200, window) : json(res, 409, { error: 'no_window', message: 'POST /stats/gc/start first' });
    }
    default:
      return json(res, 404, {
        error: 'not_found',
        endpoints: ['/health', '/ready', '/metrics', '/config', '/config/docs', 'POST /config/reload', '/stats', 'POST /stats/gc/start', 'POST /stats/gc/stop', '/canary'],
      });
  }
}
