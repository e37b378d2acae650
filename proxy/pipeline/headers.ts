// Header rewriting, both ways. Hop-by-hop headers (RFC 9110 7.6.1) never cross the proxy:
// Connection and every header it names, Keep-Alive, TE, Trailer, Transfer-Encoding, Upgrade,
// Proxy-Authorization, Proxy-Authenticate, Proxy-Connection. Expect is answered by the proxy itself.
// Two implementations with one behaviour: over raw [name, value, …] arrays (raw_headers flag) and
// over copied header objects.

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'proxy-authorization',
  'proxy-authenticate',
  'proxy-connection',
]);

export const VIA = '1.1 proxylab';

export interface ForwardedInfo {
  clientIp: string;
  proto: 'http' | 'https';
  /** The Host the client sent ('' when none). */
  host: string;
  /** The Host to send upstream. */
  upstreamHost: string;
}

/** Names listed in Connection headers: they are hop-by-hop for this message only. */
function connectionTokens(values: Iterable<string>): Set<string> | undefined {
  let tokens: Set<string> | undefined;
  for (const value of values) {
    for (const token of value.split(',')) {
      const name = token.trim().toLowerCase();
      if (name) (tokens ??= new Set()).add(name);
    }
  }
  return tokens;
}

/**
 * The raw paths' version: adds the names one Connection value lists to `into`. The values nearly
 * every request carries ("keep-alive", "close") name no header beyond the fixed hop-by-hop set, so
 * they allocate nothing.
 */
function addConnectionTokens(value: string, into: Set<string> | undefined): Set<string> | undefined {
  const lower = value.toLowerCase();
  if (lower === 'keep-alive' || lower === 'close') return into;
  for (const token of lower.split(',')) {
    const name = token.trim();
    if (name && !HOP_BY_HOP.has(name)) (into ??= new Set()).add(name);
  }
  return into;
}

function isDropped(lower: string, listed: Set<string> | undefined, extra: ReadonlySet<string>): boolean {
  return HOP_BY_HOP.has(lower) || extra.has(lower) || (listed !== undefined && listed.has(lower));
}

const REQUEST_EXTRA = new Set(['host', 'expect', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'via']);
const RESPONSE_EXTRA = new Set(['via']);
const NONE = new Set<string>();

/** Request headers for the upstream, from the raw array; no header object is built. */
export function forwardRequestHeadersRaw(raw: readonly string[], info: ForwardedInfo, bodyLength?: number): string[] {
  const out: string[] = [];
  let listed: Set<string> | undefined;
  let xff: string | undefined;
  let xfp: string | undefined;
  let xfh: string | undefined;
  let via: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if ((name.length === 10 && name.toLowerCase() === 'connection') || (name.length === 16 && name.toLowerCase() === 'proxy-connection')) {
      listed = addConnectionTokens(raw[i + 1]!, listed);
    }
  }
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    const lower = name.toLowerCase();
    if (!isDropped(lower, listed, REQUEST_EXTRA)) {
      if (bodyLength !== undefined && lower === 'content-length') continue;
      out.push(name, value);
      continue;
    }
    if (lower === 'x-forwarded-for') xff = xff === undefined ? value : `${xff}, ${value}`;
    else if (lower === 'x-forwarded-proto') xfp = xfp === undefined ? value : `${xfp}, ${value}`;
    else if (lower === 'x-forwarded-host') xfh = xfh === undefined ? value : `${xfh}, ${value}`;
    else if (lower === 'via') via = via === undefined ? value : `${via}, ${value}`;
  }
  out.push('host', info.upstreamHost);
  out.push('x-forwarded-for', xff === undefined ? info.clientIp : `${xff}, ${info.clientIp}`);
  out.push('x-forwarded-proto', xfp === undefined ? info.proto : `${xfp}, ${info.proto}`);
  if (info.host) out.push('x-forwarded-host', xfh === undefined ? info.host : `${xfh}, ${info.host}`);
  else if (xfh !== undefined) out.push('x-forwarded-host', xfh);
  out.push('via', via === undefined ? VIA : `${via}, ${VIA}`);
  if (bodyLength !== undefined) out.push('content-length', String(bodyLength));
  return out;
}

/** The same rewrite over a copy of the header object, as a first implementation would write it. */
export function forwardRequestHeadersObject(
  headers: Record<string, string | string[] | undefined>,
  info: ForwardedInfo,
  bodyLength?: number,
): Record<string, string | string[]> {
  const copy: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) copy[name] = value;
  const listed = connectionTokens(
    [copy['connection'], copy['proxy-connection']].flat().filter((v): v is string => typeof v === 'string'),
  );
  const join = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(', ') : value);
  const xff = join(copy['x-forwarded-for']);
  const xfp = join(copy['x-forwarded-proto']);
  const xfh = join(copy['x-forwarded-host']);
  const via = join(copy['via']);
  for (const name of Object.keys(copy)) if (isDropped(name, listed, REQUEST_EXTRA)) delete copy[name];
  if (bodyLength !== undefined) copy['content-length'] = String(bodyLength);
  copy['host'] = info.upstreamHost;
  copy['x-forwarded-for'] = xff === undefined ? info.clientIp : `${xff}, ${info.clientIp}`;
  copy['x-forwarded-proto'] = xfp === undefined ? info.proto : `${xfp}, ${info.proto}`;
  if (info.host) copy['x-forwarded-host'] = xfh === undefined ? info.host : `${xfh}, ${info.host}`;
  else if (xfh !== undefined) copy['x-forwarded-host'] = xfh;
  copy['via'] = via === undefined ? VIA : `${via}, ${VIA}`;
  return copy;
}

/**
 * Response headers for the client, from the upstream's raw array. With `bodyLength`, the body was
 * buffered: its framing headers are replaced by one Content-Length.
 */
export function forwardResponseHeadersRaw(raw: readonly string[], bodyLength?: number): string[] {
  let listed: Set<string> | undefined;
  let via: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const lower = raw[i]!.toLowerCase();
    if (lower === 'connection' || lower === 'proxy-connection') listed = addConnectionTokens(raw[i + 1]!, listed);
  }
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (isDropped(lower, listed, RESPONSE_EXTRA)) {
      if (lower === 'via') via = via === undefined ? raw[i + 1] : `${via}, ${raw[i + 1]}`;
      continue;
    }
    if (bodyLength !== undefined && lower === 'content-length') continue;
    out.push(name, raw[i + 1]!);
  }
  out.push('via', via === undefined ? VIA : `${via}, ${VIA}`);
  if (bodyLength !== undefined) out.push('content-length', String(bodyLength));
  return out;
}

/** The same, building a header object. */
export function forwardResponseHeadersObject(raw: readonly string[], bodyLength?: number): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const lower = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    const existing = headers[lower];
    headers[lower] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  const listed = connectionTokens([headers['connection'], headers['proxy-connection']].flat().filter((v): v is string => typeof v === 'string'));
  const via = headers['via'];
  for (const name of Object.keys(headers)) if (isDropped(name, listed, RESPONSE_EXTRA)) delete headers[name];
  if (bodyLength !== undefined) headers['content-length'] = String(bodyLength);
  const previous = Array.isArray(via) ? via.join(', ') : via;
  headers['via'] = previous === undefined ? VIA : `${previous}, ${VIA}`;
  return headers;
}

/** Look a header up in a raw array (response rules use it). */
export function rawHeaderLookup(raw: readonly string[]): (name: string) => string | undefined {
  return (name) => {
    for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === name) return raw[i + 1];
    return undefined;
  };
}
