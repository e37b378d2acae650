// Process statistics for the lab: CPU time, memory, event-loop delay, and on request a measured
// window in which V8's GC profiler records every collection. Allocated bytes in the window are
// reconstructed from heap sizes around each GC: what the heap grew by between collections, plus
// the growth since the last one. (V8 heap only; Buffer contents live outside it.)
import v8 from 'node:v8';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

interface GcStatistic {
  gcType: string;
  cost: number;
  beforeGC: { heapStatistics: { usedHeapSize: number } };
  afterGC: { heapStatistics: { usedHeapSize: number } };
}

export interface DelaySummary {
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

export interface GcWindowResult {
  duration_ms: number;
  requests: number;
  cpu_us: { user: number; system: number };
  allocated_bytes: number;
  gc_count: number;
  gc_pause_us: number;
  heap_used_before: number;
  heap_used_after: number;
  max_rss_bytes: number;
  event_loop_delay_us: DelaySummary;
}

function summarize(h: IntervalHistogram): DelaySummary {
  // The histogram records nanoseconds; an empty one reports NaN mean and huge min.
  const us = (ns: number) => (Number.isFinite(ns) ? Math.round(ns / 10) / 100 : 0);
  return { p50: us(h.percentile(50)), p99: us(h.percentile(99)), max: us(h.max), mean: us(h.mean) };
}

function maxRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

export class ProcessStats {
  #requests = 0;
  readonly #loop = monitorEventLoopDelay({ resolution: 10 });
  #window:
    | { profiler: v8.GCProfiler; started: number; cpu: NodeJS.CpuUsage; requests: number; heapUsed: number; loop: IntervalHistogram }
    | undefined;

  constructor(private readonly extra: () => Record<string, unknown> = () => ({})) {
    this.#loop.enable();
  }

  countRequest(): void {
    this.#requests++;
  }

  snapshot(): Record<string, unknown> {
    const cpu = process.cpuUsage();
    const mem = process.memoryUsage();
    return {
      pid: process.pid,
      uptime_s: process.uptime(),
      requests_total: this.#requests,
      cpu: { user_us: cpu.user, system_us: cpu.system },
      memory: { rss: mem.rss, heap_used: mem.heapUsed, heap_total: mem.heapTotal, external: mem.external, array_buffers: mem.arrayBuffers },
      max_rss_bytes: maxRssBytes(),
      event_loop_delay_us: summarize(this.#loop),
      gc_window_open: this.#window !== undefined,
      ...this.extra(),
    };
  }

  /** Open a measured window; an open one is discarded and restarted. */
  startWindow(): void {
    this.#window?.profiler.stop();
    this.#window?.loop.disable();
    const profiler = new v8.GCProfiler();
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    this.#window = {
      profiler,
      loop,
      started: performance.now(),
      cpu: process.cpuUsage(),
      requests: this.#requests,
      heapUsed: v8.getHeapStatistics().used_heap_size,
    };
    profiler.start();
  }

  stopWindow(): GcWindowResult | undefined {
    const w = this.#window;
    if (!w) return undefined;
    this.#window = undefined;
    const data = w.profiler.stop() as unknown as { statistics: GcStatistic[] };
    const heapNow = v8.getHeapStatistics().used_heap_size;
    const cpu = process.cpuUsage(w.cpu);
    w.loop.disable();
    let previous = w.heapUsed;
    let allocated = 0;
    let pause = 0;
    for (const gc of data.statistics) {
      allocated += Math.max(0, gc.beforeGC.heapStatistics.usedHeapSize - previous);
      previous = gc.afterGC.heapStatistics.usedHeapSize;
      pause += gc.cost;
    }
    allocated += Math.max(0, heapNow - previous);
    return {
      duration_ms: performance.now() - w.started,
      requests: this.#requests - w.requests,
      cpu_us: { user: cpu.user, system: cpu.system },
      allocated_bytes: allocated,
      gc_count: data.statistics.length,
      gc_pause_us: Math.round(pause),
      heap_used_before: w.heapUsed,
      heap_used_after: heapNow,
      max_rss_bytes: maxRssBytes(),
      event_loop_delay_us: summarize(w.loop),
    };
  }
}
