// Which variant serves a request: the override header (when enabled), else a sticky hash of the
// client address or a header (when configured), else a per-request random draw against the weight.
import type { IncomingMessage } from 'node:http';
import type { CanaryConfig } from '../config/schema.js';

export type Role = 'primary' | 'canary';
export const OVERRIDE_HEADER = 'x-proxylab-variant';

export interface SplitSettings {
  readonly sticky?: CanaryConfig['sticky'];
  readonly overrideHeader: boolean;
  /** Variant names also accepted as override values, besides "primary" and "canary". */
  readonly names: { readonly primary: string; readonly canary: string };
}

export class TrafficSplit {
  /** Percent of requests for the canary, 0-100. */
  weight = 0;
  private readonly stickyHeader: string | undefined;

  constructor(private readonly settings: SplitSettings) {
    this.stickyHeader = settings.sticky?.by === 'header' ? settings.sticky.header?.toLowerCase() : undefined;
  }

  roleOf(req: IncomingMessage): Role {
    if (this.settings.overrideHeader) {
      const forced = this.override(req.rawHeaders);
      if (forced) return forced;
    }
    if (this.weight <= 0) return 'primary';
    if (this.weight >= 100) return 'canary';
    const key = this.stickyKey(req);
    // Sticky: the key's hash lands in [0, 10000); the first weight% of that range is the canary,
    // so raising the weight only moves clients from primary to canary, never back.
    const point = key === undefined ? Math.random() * 10_000 : fnv1a(key) % 10_000;
    return point < this.weight * 100 ? 'canary' : 'primary';
  }

  private stickyKey(req: IncomingMessage): string | undefined {
    const sticky = this.settings.sticky;
    if (!sticky) return undefined;
    if (sticky.by === 'client_address') return req.socket.remoteAddress;
    return rawHeader(req.rawHeaders, this.stickyHeader!);
  }

  private override(raw: string[]): Role | undefined {
    const value = rawHeader(raw, OVERRIDE_HEADER);
    if (value === undefined) return undefined;
    const v = value.trim();
    if (v === 'canary' || v === this.settings.names.canary) return 'canary';
    if (v === 'primary' || v === this.settings.names.primary) return 'primary';
    return undefined;
  }
}

/** Scan the raw [name, value, …] array: reading req.headers would build the header object. */
function rawHeader(raw: string[], lowerName: string): string | undefined {
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) return raw[i + 1];
  }
  return undefined;
}

/** FNV-1a, 32 bit: fast, and spreads short similar keys (addresses, ids) evenly. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
