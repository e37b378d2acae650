// Open-loop load at a fixed rate with an undici Pool: request i is due at t0 + i/rate whether or
// not earlier ones have answered, and its latency counts from that due time, so a stalled target
// shows up as latency instead of silently lowering the offered load (coordinated omission).
import { Pool, errors as undiciErrors } from 'undici';
import { latencyHistogram, recordMs } from './histogram.js';
import { cpuMeter } from './cpu.js';
import type { LoadOptions, LoadResult, LoadRun } from './types.js';

const SCHEDULER_SLACK_NS = 2_000_000n;

export function runOpenLoop(opts: LoadOptions): LoadRun {
  const rate = opts.rate;
  if (!rate) throw new Error('open-loop driver needs a rate');
  const histogram = latencyHistogram();
  const cpu = cpuMeter();
  const pool = new Pool(`http://127.0.0.1:${opts.port}`, {
    connections: opts.connections,
    pipelining: 1,
    headersTimeout: opts.timeout_s * 1000,
    bodyTimeout: opts.timeout_s * 1000,
    keepAliveTimeout: 60_000,
  });
  let stopped = false;
  let requests = 0;
  let bytes = 0;
  let errors = 0;
  let timeouts = 0;
  let non2xx = 0;
  let inFlight = 0;
  let lastTickCount = 0;
  let timer: NodeJS.Timeout | undefined;
  let ticker: NodeJS.Timeout | undefined;

  const done = new Promise<LoadResult>((resolve) => {
    const t0 = process.hrtime.bigint();
    const intervalNs = 1e9 / rate;
    const totalDue = Math.floor(rate * opts.duration_s);
    let sent = 0;
    let finished = false;

    const finish = (): void => {
      if (finished || inFlight > 0 || (sent < totalDue && !stopped)) return;
      finished = true;
      clearInterval(timer);
      clearInterval(ticker);
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      void pool.close().catch(() => {});
      resolve({ requests, bytes, errors, timeouts, non2xx, duration_s: Math.round(seconds * 1000) / 1000, histogram, driver_cpu_pct: cpu() });
    };

    const fire = (dueNs: bigint, index: number): void => {
      const r = opts.requests[index % opts.requests.length]!;
      // The 1 ms scheduler sends up to ~1 ms late by design; that is not the target's doing, so
      // lateness within SCHEDULER_SLACK_NS counts from the send. Beyond it (the target held
      // connections, or this process stalled) latency counts from the due time.
      const sentNs = process.hrtime.bigint();
      const startNs = sentNs - dueNs > SCHEDULER_SLACK_NS ? dueNs : sentNs;
      inFlight++;
      pool
        .request({ method: r.method as 'GET', path: r.path, headers: r.headers, body: r.body ?? null })
        .then(async (res) => {
          for await (const chunk of res.body) bytes += (chunk as Buffer).length;
          requests++;
          if (res.statusCode < 200 || res.statusCode >= 300) non2xx++;
          recordMs(histogram, Number(process.hrtime.bigint() - startNs) / 1e6);
        })
        .catch((error: unknown) => {
          errors++;
          if (error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError) timeouts++;
        })
        .finally(() => {
          inFlight--;
          finish();
        });
    };

    // A 1 ms scheduler sends every request that has come due, so rates above 1k/s work.
    timer = setInterval(() => {
      const elapsed = Number(process.hrtime.bigint() - t0);
      const due = stopped ? sent : Math.min(totalDue, Math.floor(elapsed / intervalNs) + 1);
      while (sent < due) {
        fire(t0 + BigInt(Math.round(sent * intervalNs)), sent);
        sent++;
      }
      if (sent >= totalDue || stopped) {
        clearInterval(timer);
        finish();
      }
    }, 1);
    ticker = setInterval(() => {
      opts.onTick?.(requests - lastTickCount);
      lastTickCount = requests;
    }, 1000);
  });
  return {
    done,
    stop() {
      stopped = true;
    },
  };
}
