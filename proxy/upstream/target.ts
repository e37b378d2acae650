// One origin server behind an upstream group, with its health state.
export interface Target {
  readonly url: string;
  /** scheme://host:port, the key for its connection pool. */
  readonly origin: string;
  readonly protocol: 'http:' | 'https:';
  readonly hostname: string;
  readonly port: number;
  /** host[:port] as a Host header names it. */
  readonly authority: string;
  readonly weight: number;
  healthy: boolean;
}

export function createTarget(url: string, weight = 1): Target {
  const parsed = new URL(url);
  const protocol = parsed.protocol === 'https:' ? 'https:' : 'http:';
  const port = parsed.port ? Number(parsed.port) : protocol === 'https:' ? 443 : 80;
  return {
    url,
    origin: `${protocol}//${parsed.host}`,
    protocol,
    hostname: parsed.hostname.replace(/^\[|\]$/g, ''),
    port,
    authority: parsed.host,
    weight,
    healthy: true,
  };
}
