// The lab's origin: a node:http server whose cost must stay far below the proxy's, so bodies and
// headers are built once at start and every response only picks from them.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OriginOptions {
  size: number;
  /** Delay before responding, µs. Sub-ms delays are held by a polling queue, not setTimeout. */
  latency_us: number;
  chunked: boolean;
  chunk_size: number;
  status: Array<{ status: number; weight: number }>;
}

export const READY_PATH = '/__origin/ready';

interface Pending {
  due: bigint;
  res: http.ServerResponse;
}

export function createOrigin(opts: OriginOptions): http.Server {
  const body = Buffer.alloc(opts.size, 'x');
  const chunks: Buffer[] = [];
  for (let at = 0; at < body.length; at += opts.chunk_size) chunks.push(body.subarray(at, at + opts.chunk_size));
  const statuses = statusCycle(opts.status);
  let next = 0;
  const fixedHeaders: Record<string, string | number> = opts.chunked
    ? { 'content-type': 'application/octet-stream' }
    : { 'content-type': 'application/octet-stream', 'content-length': body.length };

  const send = (res: http.ServerResponse): void => {
    const status = statuses[next]!;
    next = next + 1 === statuses.length ? 0 : next + 1;
    res.writeHead(status, fixedHeaders);
    if (!opts.chunked) {
      res.end(body);
      return;
    }
    let i = 0;
    // Honour backpressure, as a real streaming origin would.
    const pump = (): void => {
      while (i < chunks.length) {
        if (!res.write(chunks[i++]!)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    pump();
  };

  // Delays: from 2 ms up, setTimeout (ms-granular, typically < 1 ms late). Below that, where its
  // granularity would swamp the delay, requests wait in a FIFO polled with setImmediate (all share
  // one delay, so due times are in order). That polling spins the origin's CPU while requests are
  // pending, which is why long delays do not use it: a 20 ms origin must not eat a core.
  const delayNs = BigInt(Math.round(opts.latency_us * 1000));
  const timerMs = opts.latency_us >= 2000 ? Math.round(opts.latency_us / 1000) : 0;
  const queue: Pending[] = [];
  let head = 0;
  let polling = false;
  const poll = (): void => {
    const now = process.hrtime.bigint();
    while (head < queue.length && queue[head]!.due <= now) {
      const { res } = queue[head]!;
      queue[head++] = undefined as never;
      if (!res.destroyed) send(res);
    }
    if (head === queue.length) {
      queue.length = 0;
      head = 0;
      polling = false;
      return;
    }
    if (head > 1024) {
      queue.splice(0, head);
      head = 0;
    }
    setImmediate(poll);
  };
  const enqueue = (p: Pending): void => {
    queue.push(p);
    if (!polling) {
      polling = true;
      setImmediate(poll);
    }
  };

  const server = http.createServer({ keepAlive: true, keepAliveTimeout: 60_000 }, (req, res) => {
    if (req.url === READY_PATH) {
      res.writeHead(200, { 'content-length': 2 });
      res.end('ok');
      return;
    }
    const due = process.hrtime.bigint() + delayNs;
    // Read the whole request body before answering, as an application would.
    req.on('end', () => {
      if (delayNs === 0n) send(res);
      else if (timerMs > 0) setTimeout(() => res.destroyed || send(res), Math.max(0, timerMs - elapsedMs(due, delayNs)));
      else enqueue({ due, res });
    });
    req.resume();
  });
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  server.requestTimeout = 0;
  return server;
}

/** ms already spent since the request arrived (reading its body), so the delay counts from arrival. */
function elapsedMs(due: bigint, delayNs: bigint): number {
  return Number(process.hrtime.bigint() - (due - delayNs)) / 1e6;
}

/** Weights as a short deterministic cycle, e.g. 200×99 + 500×1 → 100 entries. */
export function statusCycle(mix: Array<{ status: number; weight: number }>): number[] {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const g = mix.reduce((acc, m) => gcd(acc, m.weight), 0) || 1;
  const cycle: number[] = [];
  // Interleave so a short window already sees the mix in proportion.
  const left = mix.map((m) => m.weight / g);
  const total = left.reduce((a, b) => a + b, 0);
  const credit = mix.map(() => 0);
  for (let n = 0; n < total; n++) {
    let best = 0;
    for (let i = 0; i < mix.length; i++) {
      credit[i]! += left[i]!;
      if (credit[i]! > credit[best]!) best = i;
    }
    credit[best]! -= total;
    cycle.push(mix[best]!.status);
  }
  return cycle;
}

export async function listen(server: http.Server, host: string, port: number): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, backlog: 4096 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server.address() as AddressInfo;
}

export function parseHostPort(text: string): { host: string; port: number } {
  const m = /^(.+):(\d{1,5})$/.exec(text);
  if (!m) throw new Error(`expected host:port, got "${text}"`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}
