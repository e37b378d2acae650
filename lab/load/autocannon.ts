// Closed-loop load with autocannon. Latency comes from its per-response event (float ms from
// hrtime) into our µs histogram, since its built-in histogram cannot go below 1 ms.
import autocannon from 'autocannon';
import { latencyHistogram, recordMs } from './histogram.js';
import { cpuMeter } from './cpu.js';
import type { LoadOptions, LoadResult, LoadRun } from './types.js';

export function runAutocannon(opts: LoadOptions): LoadRun {
  const histogram = latencyHistogram();
  const cpu = cpuMeter();
  let instance: autocannon.Instance | undefined;
  let stopped = false;
  const done = new Promise<LoadResult>((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    instance = autocannon(
      {
        url: `http://127.0.0.1:${opts.port}`,
        connections: opts.connections,
        pipelining: opts.pipelining,
        duration: opts.duration_s,
        timeout: opts.timeout_s,
        requests: opts.requests.map((r) => ({
          method: r.method as autocannon.Request['method'],
          path: r.path,
          headers: r.headers,
          ...(r.body ? { body: r.body } : {}),
        })),
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
        resolve({
          requests: result.requests.total,
          bytes: result.throughput.total,
          errors: result.errors,
          timeouts: result.timeouts,
          non2xx: result.non2xx,
          duration_s: Math.round(seconds * 1000) / 1000,
          histogram,
          driver_cpu_pct: cpu(),
        });
      },
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTimeMs: number) => {
      recordMs(histogram, responseTimeMs);
    });
    // 'tick' (once a second) is emitted but missing from @types/autocannon.
    (instance as unknown as NodeJS.EventEmitter).on('tick', (tick: { counter: number }) => {
      if (!stopped) opts.onTick?.(tick.counter);
    });
  });
  return {
    done,
    stop() {
      stopped = true;
      instance?.stop();
    },
  };
}
