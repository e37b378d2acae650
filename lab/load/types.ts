// What every load driver takes and returns, so the round runner does not care which one ran.
import type { Histogram } from './histogram.js';

export interface LoadRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface LoadOptions {
  port: number;
  /** The request mix, already expanded by weight into the order it is sent. */
  requests: LoadRequest[];
  connections: number;
  pipelining: number;
  duration_s: number;
  timeout_s: number;
  /** open loop only */
  rate?: number;
  /** Called about once a second with the requests per second of the last second. */
  onTick?: (rps: number) => void;
}

export interface LoadResult {
  /** completed responses (any status) */
  requests: number;
  bytes: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  duration_s: number;
  histogram: Histogram;
  /** this process's CPU over the run, % of one core */
  driver_cpu_pct: number;
}

export interface LoadRun {
  done: Promise<LoadResult>;
  /** End early (a target died); `done` still settles. */
  stop(): void;
}
