// The proxy's admin API around a measured window: POST /stats/gc/start before the load,
// POST /stats/gc/stop after it; the stop answer is the window's cost as the proxy saw it.
import { request } from 'undici';
import { RunFailedError } from '../errors.js';

export interface GcWindow {
  duration_ms: number;
  requests: number;
  cpu_us: { user: number; system: number };
  allocated_bytes: number;
  gc_count: number;
  gc_pause_us: number;
  heap_used_before: number;
  heap_used_after: number;
  max_rss_bytes: number;
  event_loop_delay_us: { p50: number; p99: number; max: number; mean: number };
}

async function call(adminPort: number, method: 'GET' | 'POST', path: string): Promise<unknown> {
  let res;
  try {
    res = await request(`http://127.0.0.1:${adminPort}${path}`, { method, headersTimeout: 10_000, bodyTimeout: 10_000 });
  } catch (error) {
    throw new RunFailedError('PROBE_FAILED', `admin ${method} ${path} on port ${adminPort}: ${(error as Error).message}`, { cause: error });
  }
  const text = await res.body.text();
  if (res.statusCode < 200 || res.statusCode >= 300) throw new RunFailedError('PROBE_FAILED', `admin ${method} ${path}: HTTP ${res.statusCode} ${text.slice(0, 200)}`);
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new RunFailedError('PROBE_FAILED', `admin ${method} ${path}: not JSON: ${text.slice(0, 200)}`);
  }
}

export async function gcStart(adminPort: number): Promise<void> {
  await call(adminPort, 'POST', '/stats/gc/start');
}

export async function gcStop(adminPort: number): Promise<GcWindow> {
  return (await call(adminPort, 'POST', '/stats/gc/stop')) as GcWindow;
}
