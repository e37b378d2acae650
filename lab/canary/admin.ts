// The judge's side of the proxy's admin API: read and set the canary weight, scrape /metrics.
import { request } from 'undici';
import { RunFailedError } from '../errors.js';
import { parsePrometheus, variantCounts, type VariantTable } from './prom.js';

export interface CanaryState {
  enabled: boolean;
  weight: number;
  variants?: { primary: string; canary: string };
  guard?: { state: string };
  last_rollback?: { reason: string; value: number; above: number; at: string } | null;
}

async function call(adminPort: number, method: 'GET' | 'PUT', path: string, body?: string): Promise<string> {
  try {
    const res = await request(`http://127.0.0.1:${adminPort}${path}`, {
      method,
      ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode} ${text.slice(0, 200)}`);
    return text;
  } catch (error) {
    throw new RunFailedError('CANARY_ADMIN', `admin ${method} ${path} on port ${adminPort}: ${(error as Error).message}`, { cause: error });
  }
}

export async function getCanary(adminPort: number): Promise<CanaryState> {
  return JSON.parse(await call(adminPort, 'GET', '/canary')) as CanaryState;
}

export async function putWeight(adminPort: number, weight: number): Promise<CanaryState> {
  return JSON.parse(await call(adminPort, 'PUT', '/canary', JSON.stringify({ weight }))) as CanaryState;
}

export async function scrape(adminPort: number): Promise<VariantTable> {
  return variantCounts(parsePrometheus(await call(adminPort, 'GET', '/metrics')));
}
