// The baseline transport: node:http with agent:false, so every request opens (and closes) its own
// TCP connection to the upstream. Timeouts are enforced by hand with the same meaning as undici's.
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import {
  classifyError,
  UpstreamError,
  type Exchange,
  type Transport,
  type TransportTimeouts,
  type UpstreamCallbacks,
  type UpstreamRequest,
} from './transport.js';

export class FreshConnectionTransport implements Transport {
  #opened = 0;

  constructor(private timeouts: TransportTimeouts) {}

  reconfigure(timeouts: TransportTimeouts): void {
    this.timeouts = timeouts;
  }

  /** Upstream TCP connections opened so far. */
  get connectionsOpened(): number {
    return this.#opened;
  }

  send(request: UpstreamRequest, callbacks: UpstreamCallbacks): Exchange {
    const { target } = request;
    const t = this.timeouts;
    let finished = false;
    let timer: NodeJS.Timeout | undefined;
    let response: http.IncomingMessage | undefined;

    const fail = (error: unknown) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      upstream.destroy();
      response?.destroy();
      callbacks.onError(classifyError(error));
    };
    const arm = (ms: number, kind: 'connect_timeout' | 'headers_timeout') => {
      clearTimeout(timer);
      timer = setTimeout(() => fail(new UpstreamError(kind, `upstream ${kind.replace('_', ' ')} after ${ms} ms`)), ms);
    };

    const upstream = (target.protocol === 'https:' ? https : http).request({
      host: target.hostname,
      port: target.port,
      method: request.method,
      path: request.path,
      headers: request.headers as http.OutgoingHttpHeaders,
      agent: false,
      setHost: false,
    });
    this.#opened++;
    arm(t.connect_ms, 'connect_timeout');
    // The headers timeout runs from the moment the whole request is sent (as undici's does).
    let connected = false;
    let sent = false;
    upstream.once('socket', (socket: Socket) => {
      socket.once('connect', () => {
        connected = true;
        if (sent) arm(t.headers_ms, 'headers_timeout');
        else clearTimeout(timer);
      });
    });
    upstream.once('finish', () => {
      sent = true;
      if (connected && !response) arm(t.headers_ms, 'headers_timeout');
    });
    upstream.on('error', fail);
    upstream.once('response', (res) => {
      clearTimeout(timer);
      response = res;
      res.setTimeout(t.body_ms, () => fail(new UpstreamError('body_timeout', `upstream body idle for ${t.body_ms} ms`)));
      res.on('error', fail);
      // 'aborted' is how node:http reports a body cut short by the upstream (reset mid-body).
      res.once('aborted', () => fail(new UpstreamError('reset', 'upstream closed the connection mid-response')));
      res.on('data', (chunk: Buffer) => {
        if (!finished && !callbacks.onData(chunk)) res.pause();
      });
      res.once('end', () => {
        if (finished) return;
        if (!res.complete) return fail(new UpstreamError('reset', 'upstream closed the connection mid-response'));
        finished = true;
        callbacks.onEnd();
      });
      if (!callbacks.onHeaders(res.statusCode ?? 502, res.rawHeaders)) res.pause();
    });

    const body = request.body;
    if (body instanceof Readable) {
      body.on('error', fail);
      body.pipe(upstream);
    } else {
      upstream.end(body ?? undefined);
    }

    return {
      abort() {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        upstream.destroy();
        response?.destroy();
      },
      resume() {
        response?.resume();
      },
    };
  }

  async close(): Promise<void> {}
}
