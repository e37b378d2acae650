// Per-request costs of a target over one measured window, from whatever the target offers: the
// proxy's admin GC window, or /proc for any other process. `direct` has no target process.
import type { Endpoint } from '../topology/topology.js';
import { gcStart, gcStop } from './admin.js';
import { sampleTree } from './proc.js';

export interface TargetCost {
  cpu_us_per_req?: number;
  alloc_bytes_per_req?: number;
  gc_per_1k?: number;
  gc_pause_us_per_1k?: number;
  peak_rss_bytes?: number;
  el_delay_p99_us?: number;
}

/** Close the window; `requests` is what the driver counted, used when the target counts none. */
export type CloseWindow = (requests: number) => Promise<TargetCost>;

const round2 = (n: number): number => Math.round(n * 100) / 100;

export async function openWindow(endpoint: Endpoint): Promise<CloseWindow> {
  if (endpoint.kind === 'proxy' && endpoint.adminPort) {
    const admin = endpoint.adminPort;
    await gcStart(admin);
    return async (driverRequests) => {
      const w = await gcStop(admin);
      const n = w.requests > 0 ? w.requests : driverRequests;
      if (n === 0) return {};
      return {
        cpu_us_per_req: round2((w.cpu_us.user + w.cpu_us.system) / n),
        alloc_bytes_per_req: Math.round(w.allocated_bytes / n),
        gc_per_1k: round2((w.gc_count * 1000) / n),
        gc_pause_us_per_1k: round2((w.gc_pause_us * 1000) / n),
        peak_rss_bytes: w.max_rss_bytes,
        el_delay_p99_us: w.event_loop_delay_us.p99,
      };
    };
  }
  if (endpoint.kind === 'external' && endpoint.proc) {
    const pid = endpoint.proc.pid;
    const before = sampleTree(pid);
    return async (driverRequests) => {
      const after = sampleTree(pid);
      if (driverRequests === 0) return { peak_rss_bytes: after.peak_rss_bytes };
      return { cpu_us_per_req: round2((after.cpu_us - before.cpu_us) / driverRequests), peak_rss_bytes: after.peak_rss_bytes };
    };
  }
  return async () => ({});
}
