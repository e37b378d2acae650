// Listeners and lifecycle: the data-plane and admin servers, the handler variants, hot reload, and
// graceful shutdown (stop accepting, finish in-flight requests within a deadline, close idle
// keep-alive connections, flush the log, exit 0).
import http, { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket, AddressInfo } from 'node:net';
import type { FSWatcher } from 'node:fs';
import { SnapshotStore } from './config/store.js';
import { originsOf } from './config/snapshot.js';
import type { ResolvedConfig } from './config/load.js';
import { watchConfigFile } from './config/watch.js';
import { createAdminServer } from './admin/server.js';
import { ProcessStats } from './admin/stats.js';
import { createMetrics, type Metrics } from './metrics/registry.js';
import { createAccessLog } from './logging/access-log.js';
import { createPipeline, type Variant } from './pipeline/handle.js';
import { PooledTransport } from './upstream/pooled-transport.js';
import { FreshConnectionTransport } from './upstream/fresh-transport.js';
import type { Transport, TransportTimeouts } from './upstream/transport.js';
import type { Target } from './upstream/target.js';
import type { HandlerFlags } from './handlers/flags.js';
import { CanaryController } from './canary/controller.js';
import { canaryRoute } from './canary/admin.js';

export interface ProxyOptions {
  readonly config: ResolvedConfig;
  /** The file to reload from; absent when started from command-line flags. */
  readonly file?: string;
  /** Overrides (CLI, environment) re-applied to every reloaded file. */
  readonly overrides?: (config: ResolvedConfig) => ResolvedConfig;
  readonly variant: { name: string; flags: HandlerFlags };
  /** A second variant in the same process, split by weight (settings in config.canary). */
  readonly canary?: { name: string; flags: HandlerFlags };
  readonly watch?: boolean;
  readonly log?: (line: string) => void;
}

export interface RunningProxy {
  readonly url: string;
  readonly adminUrl: string;
  readonly store: SnapshotStore;
  readonly metrics: Metrics;
  shutdown(reason?: string): Promise<void>;
}

function parseListen(listen: string): { host: string; port: number } {
  const colon = listen.lastIndexOf(':');
  return { host: listen.slice(0, colon).replace(/^\[|\]$/g, ''), port: Number(listen.slice(colon + 1)) };
}

function listen(server: http.Server, address: string): Promise<AddressInfo> {
  const { host, port } = parseListen(address);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

const urlOf = (a: AddressInfo) => `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;

export async function startProxy(options: ProxyOptions): Promise<RunningProxy> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const metrics = createMetrics();
  let draining = false;
  let inFlight = 0;
  let active = 0;

  const timeoutsOf = (config: ResolvedConfig): TransportTimeouts => config.timeouts;
  const poolOf = (store: SnapshotStore) => (target: Target) => {
    for (const group of store.current.groups.values()) if (group.targets.some((t) => t.origin === target.origin)) return group.pool;
    return { connections: 64, pipelining: 1 };
  };

  // The store is created first; transports read pool sizes through it.
  let pooled: PooledTransport | undefined;
  let fresh: FreshConnectionTransport | undefined;
  const store: SnapshotStore = new SnapshotStore(options.config, options.file, options.overrides ?? ((c) => c), {
    onSwap(next) {
      pooled?.reconfigure(timeoutsOf(next.config), poolOf(store));
      pooled?.retain(new Set([...originsOf(next), ...next.embedded.allowed].filter((o) => o.includes('://'))));
      fresh?.reconfigure(timeoutsOf(next.config));
      metrics.configVersion.set(next.version);
    },
    onReload(result) {
      metrics.configReloads.inc({ result: result.ok ? 'ok' : 'failed' });
      log(result.ok ? `config reloaded: version ${result.version}` : `config reload refused, still serving version ${result.version}: ${result.error}`);
    },
    onHealthChange(upstream, origin, healthy) {
      metrics.upstreamHealthy.set({ upstream, origin }, healthy ? 1 : 0);
      log(`upstream ${upstream}: ${origin} is ${healthy ? 'healthy again' : 'unhealthy, out of rotation'}`);
    },
  });
  metrics.configVersion.set(store.current.version);
  for (const group of store.current.groups.values()) for (const t of group.targets) metrics.upstreamHealthy.set({ upstream: group.name, origin: t.origin }, 1);

  const config = store.current.config;
  const makeVariant = (name: string, flags: HandlerFlags): Variant => {
    let transport: Transport;
    if (flags.pooling) transport = pooled ??= new PooledTransport(timeoutsOf(config), poolOf(store));
    else transport = fresh ??= new FreshConnectionTransport(timeoutsOf(config));
    return { name, flags, transport, accessLog: createAccessLog(config.access_log.path, flags.async_logging) };
  };
  const primary = makeVariant(options.variant.name, options.variant.flags);
  const variants = [primary];
  const canary = options.canary
    ? new CanaryController({
        primary,
        canary: makeVariant(options.canary.name, options.canary.flags),
        settings: config.canary ?? { handler: 'optimized', weight: 0, override_header: false },
        metrics,
        log,
      })
    : undefined;
  if (canary) variants.push(canary.canary);
  else metrics.canaryWeight.set(0);

  const stats = new ProcessStats(() => ({
    connections: { downstream_active: active, in_flight: inFlight },
    upstream: { pools: pooled?.stats() ?? [], fresh_connections_opened: fresh?.connectionsOpened ?? 0 },
    variant: primary.name,
    flags: primary.flags,
  }));
  const handle = createPipeline({
    store,
    metrics,
    onFinished: canary
      ? (variant, status, ms) => {
          stats.countRequest();
          canary.observe(variant, status, ms);
        }
      : () => stats.countRequest(),
  });

  const server = http.createServer(
    {
      maxHeaderSize: config.limits.max_header_bytes,
      keepAliveTimeout: config.timeouts.client_keep_alive_ms,
      // Node closes idle keep-alive sockets itself when the server closes.
    },
    (req: IncomingMessage, res: ServerResponse) => {
      // A client that goes away makes these emit; the pipeline reacts to 'close' instead.
      req.on('error', () => {});
      res.on('error', () => {});
      inFlight++;
      res.once('close', () => inFlight--);
      if (draining) res.shouldKeepAlive = false;
      handle(req, res, canary ? canary.pick(req) : primary);
    },
  );
  server.on('connection', (socket: Socket) => {
    active++;
    metrics.activeConnections.inc();
    socket.once('close', () => {
      active--;
      metrics.activeConnections.dec();
    });
  });
  let clientErrors = 0;
  let reportedOpened = 0;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'HPE_REQUEST_TIMEOUT' ? 408 : 400;
    const id = `client-${++clientErrors}`;
    const body = JSON.stringify({ error: status === 431 ? 'headers_too_large' : 'bad_request', message: STATUS_CODES[status], request_id: id });
    metrics.requests.inc({ route: 'none', status, variant: primary.name });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nx-request-id: ${id}\r\nconnection: close\r\n\r\n${body}`,
    );
  });

  const admin = createAdminServer({
    store,
    registry: metrics.registry,
    stats,
    reload: () => store.reload(),
    isDraining: () => draining,
    extraRoutes: canaryRoute(canary),
    beforeScrape() {
      metrics.upstreamConnections.reset();
      for (const pool of pooled?.stats() ?? []) {
        metrics.upstreamConnections.set({ origin: pool.origin, state: 'busy' }, pool.busy);
        metrics.upstreamConnections.set({ origin: pool.origin, state: 'idle' }, pool.free);
      }
      const opened = fresh?.connectionsOpened ?? 0;
      // One fresh-connection transport serves every variant with pooling off (with a canary, maybe both).
      const freshUsers = variants.filter((v) => !v.flags.pooling).map((v) => v.name).join('+') || primary.name;
      if (opened > reportedOpened) metrics.upstreamConnectionsOpened.inc({ variant: freshUsers }, opened - reportedOpened);
      reportedOpened = opened;
    },
  });

  const proxyAddress = await listen(server, config.listen);
  const adminAddress = await listen(admin, config.admin.listen);

  let watcher: FSWatcher | undefined;
  if (options.file && options.watch !== false) watcher = watchConfigFile(options.file, () => store.reload());

  let stopping: Promise<void> | undefined;
  const shutdown = (reason = 'shutdown') =>
    (stopping ??= (async () => {
      draining = true;
      log(`${reason}: draining ${inFlight} in-flight request(s)`);
      watcher?.close();
      store.stop();
      canary?.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const deadline = Date.now() + store.current.config.timeouts.shutdown_ms;
      while (inFlight > 0 && Date.now() < deadline) {
        server.closeIdleConnections();
        await new Promise((r) => setTimeout(r, 20));
      }
      if (inFlight > 0) log(`shutdown deadline reached, closing ${inFlight} request(s)`);
      server.closeAllConnections();
      await closed;
      for (const variant of variants) variant.accessLog.flush();
      await Promise.all([pooled?.close(), fresh?.close()]);
      await new Promise<void>((resolve) => {
        admin.close(() => resolve());
        admin.closeAllConnections();
      });
      log('stopped');
    })());

  return { url: urlOf(proxyAddress), adminUrl: urlOf(adminAddress), store, metrics, shutdown };
}
