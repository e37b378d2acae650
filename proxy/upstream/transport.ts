// How a request reaches its upstream. Two transports behind one callback interface: the pooled
// one (undici Pool, keep-alive) and the fresh one (node:http, agent:false: a new TCP connection per
// request, what a first implementation does). The pipeline does not know which one it uses.
import type { Readable } from 'node:stream';
import type { Target } from './target.js';

export interface UpstreamRequest {
  readonly target: Target;
  readonly method: string;
  readonly path: string;
  /** Flat [name, value, …] array or a header object; both transports accept either. */
  readonly headers: string[] | Record<string, string | string[]>;
  readonly body: Buffer | Readable | null;
}

export interface UpstreamCallbacks {
  /** Response head arrived. Return false to pause the body until resume(). */
  onHeaders(status: number, rawHeaders: string[]): boolean;
  /** A body chunk. Return false to pause until resume(). */
  onData(chunk: Buffer): boolean;
  onEnd(): void;
  /** Any failure, before or after headers. Called at most once, never after onEnd. */
  onError(error: UpstreamError): void;
}

export interface Exchange {
  abort(): void;
  resume(): void;
}

export interface Transport {
  send(request: UpstreamRequest, callbacks: UpstreamCallbacks): Exchange;
  close(): Promise<void>;
}

export type UpstreamErrorKind = 'refused' | 'connect_timeout' | 'headers_timeout' | 'body_timeout' | 'reset' | 'aborted' | 'other';

export class UpstreamError extends Error {
  constructor(
    readonly kind: UpstreamErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UpstreamError';
  }
  /** The status a client gets when nothing has been sent to it yet. */
  get status(): 502 | 504 {
    return this.kind === 'connect_timeout' || this.kind === 'headers_timeout' || this.kind === 'body_timeout' ? 504 : 502;
  }
}

export interface TransportTimeouts {
  connect_ms: number;
  headers_ms: number;
  body_ms: number;
  upstream_keep_alive_ms: number;
}

/** Map a Node or undici error to a stable kind. */
export function classifyError(error: unknown): UpstreamError {
  if (error instanceof UpstreamError) return error;
  const code = (error as { code?: string } | undefined)?.code ?? '';
  const message = error instanceof Error ? error.message : String(error);
  const kind: UpstreamErrorKind =
    code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || code === 'EAI_AGAIN'
      ? 'refused'
      : code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT'
        ? 'connect_timeout'
        : code === 'UND_ERR_HEADERS_TIMEOUT'
          ? 'headers_timeout'
          : code === 'UND_ERR_BODY_TIMEOUT'
            ? 'body_timeout'
            : code === 'UND_ERR_ABORTED' || code === 'ABORT_ERR'
              ? 'aborted'
              : code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE' || code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH'
                ? 'reset'
                : 'other';
  return new UpstreamError(kind, `${code || 'error'}: ${message}`, { cause: error });
}
