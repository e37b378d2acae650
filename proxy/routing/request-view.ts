// A read-only view of the incoming request that routes and rules match against. Two ways to read
// headers: straight from the raw [name, value, …] array (raw_headers flag) or from a copied header
// object, which is what a first implementation does.
import type { IncomingMessage } from 'node:http';

export interface RequestView {
  readonly method: string;
  /** Lowercased host without port. */
  readonly host: string;
  readonly path: string;
  readonly query: string;
  header(name: string): string | undefined;
  queryParam(name: string): string | undefined;
}

export function splitTarget(url: string): { path: string; query: string } {
  const q = url.indexOf('?');
  return q === -1 ? { path: url, query: '' } : { path: url.slice(0, q), query: url.slice(q + 1) };
}

function hostOf(value: string | undefined): string {
  if (!value) return '';
  const lower = value.toLowerCase();
  if (lower.startsWith('[')) return lower.slice(0, lower.indexOf(']') + 1);
  const colon = lower.indexOf(':');
  return colon === -1 ? lower : lower.slice(0, colon);
}

class BaseView {
  #params: URLSearchParams | undefined;
  readonly path: string;
  readonly query: string;
  constructor(readonly method: string, url: string) {
    const { path, query } = splitTarget(url);
    this.path = path;
    this.query = query;
  }
  queryParam(name: string): string | undefined {
    this.#params ??= new URLSearchParams(this.query);
    return this.#params.get(name) ?? undefined;
  }
}

/** Reads headers from req.rawHeaders without building an object (names are compared case-insensitively). */
export class RawRequestView extends BaseView implements RequestView {
  readonly host: string;
  constructor(private readonly raw: string[], method: string, url: string) {
    super(method, url);
    this.host = hostOf(this.header('host'));
  }
  header(name: string): string | undefined {
    const raw = this.raw;
    for (let i = 0; i < raw.length; i += 2) {
      const key = raw[i]!;
      if (key.length === name.length && key.toLowerCase() === name) return raw[i + 1];
    }
    return undefined;
  }
}

/** Reads headers from a copy of req.headers, as a first implementation would. */
export class ObjectRequestView extends BaseView implements RequestView {
  readonly host: string;
  readonly headers: Record<string, string | string[] | undefined>;
  constructor(req: IncomingMessage) {
    super(req.method ?? 'GET', req.url ?? '/');
    this.headers = { ...req.headers };
    this.host = hostOf(this.header('host'));
  }
  header(name: string): string | undefined {
    const value = this.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  }
}
