// The optimized transport: one undici Pool per target origin, keep-alive, shared across config
// reloads. Uses undici's dispatch handler directly, so response headers arrive as the raw array
// the pipeline forwards and backpressure is a boolean, with no stream objects in between.
import { Pool } from 'undici';
import type { Target } from './target.js';
import { classifyError, type Exchange, type Transport, type TransportTimeouts, type UpstreamCallbacks, type UpstreamRequest } from './transport.js';

export interface PoolOptions {
  connections: number;
  pipelining: number;
}

export interface PoolStats {
  origin: string;
  connected: number;
  free: number;
  busy: number;
  pending: number;
}

export class PooledTransport implements Transport {
  readonly #pools = new Map<string, Pool>();

  constructor(
    private timeouts: TransportTimeouts,
    private poolOptions: (target: Target) => PoolOptions,
  ) {}

  /** New timeouts and pool sizes apply to pools created after a reload; live pools keep theirs. */
  reconfigure(timeouts: TransportTimeouts, poolOptions: (target: Target) => PoolOptions): void {
    this.timeouts = timeouts;
    this.poolOptions = poolOptions;
  }

  /** Close pools of origins no snapshot uses any more; in-flight requests finish first. */
  retain(origins: ReadonlySet<string>): void {
    for (const [origin, pool] of this.#pools) {
      if (!origins.has(origin)) {
        this.#pools.delete(origin);
        void pool.close().catch(() => {});
      }
    }
  }

  stats(): PoolStats[] {
    return [...this.#pools].map(([origin, pool]) => {
      const s = pool.stats;
      return { origin, connected: s.connected, free: s.free, busy: s.connected - s.free, pending: s.pending };
    });
  }

  send(request: UpstreamRequest, callbacks: UpstreamCallbacks): Exchange {
    const pool = this.#pool(request.target);
    let abort: ((reason?: Error) => void) | undefined;
    let resume: (() => void) | undefined;
    let aborted = false;
    let done = false;
    pool.dispatch(
      {
        origin: request.target.origin,
        method: request.method as 'GET',
        path: request.path,
        headers: request.headers,
        body: request.body,
      },
      {
        onConnect(abortFn: (reason?: Error) => void) {
          abort = abortFn;
          if (aborted) abortFn();
        },
        onHeaders(status: number, raw: Buffer[], resumeFn: () => void) {
          resume = resumeFn;
          const headers = new Array<string>(raw.length);
          for (let i = 0; i < raw.length; i++) headers[i] = raw[i]!.toString('latin1');
          return callbacks.onHeaders(status, headers);
        },
        onData(chunk: Buffer) {
          return callbacks.onData(chunk);
        },
        onComplete() {
          done = true;
          callbacks.onEnd();
        },
        onError(error: Error) {
          if (done) return;
          done = true;
          callbacks.onError(classifyError(error));
        },
      } as never,
    );
    return {
      abort() {
        if (aborted || done) return;
        aborted = true;
        abort?.();
      },
      resume() {
        resume?.();
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.#pools.values()].map((pool) => pool.close().catch(() => {})));
    this.#pools.clear();
  }

  #pool(target: Target): Pool {
    let pool = this.#pools.get(target.origin);
    if (!pool) {
      const { connections, pipelining } = this.poolOptions(target);
      const t = this.timeouts;
      pool = new Pool(target.origin, {
        connections,
        pipelining,
        connect: { timeout: t.connect_ms },
        headersTimeout: t.headers_ms,
        bodyTimeout: t.body_ms,
        // Idle sockets close before the origin closes them, so a reused socket is not raced.
        keepAliveTimeout: t.upstream_keep_alive_ms,
        keepAliveMaxTimeout: t.upstream_keep_alive_ms,
        keepAliveTimeoutThreshold: 1000,
      });
      this.#pools.set(target.origin, pool);
    }
    return pool;
  }
}
