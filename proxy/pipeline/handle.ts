// The request phases, in order: frame check, route, control (drop and logging rules), pick an
// upstream target, forward, respond, log. One implementation serves every variant; the flags pick
// how each phase does its work (pooled or fresh connection, streamed or buffered bodies,
// precompiled or per-request rules, shared or copied config, raw or object headers).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { SnapshotStore } from '../config/store.js';
import type { Snapshot } from '../config/snapshot.js';
import type { HandlerFlags } from '../handlers/flags.js';
import type { AccessLog, AccessRecord } from '../logging/access-log.js';
import type { Metrics } from '../metrics/registry.js';
import { compileRouter, type CompiledRoute } from '../routing/router.js';
import { compileRules, type LogDecision, type RequestCapture, type ResponseCapture, type RuleSet } from '../rules/compile.js';
import { ObjectRequestView, RawRequestView, type RequestView } from '../routing/request-view.js';
import type { Target } from '../upstream/target.js';
import type { Exchange, Transport, UpstreamError } from '../upstream/transport.js';
import { BodyCapture, BodyTooLargeError, LimitStream, readBody } from './body.js';
import { framingProblem } from './framing.js';
import {
  forwardRequestHeadersObject,
  forwardRequestHeadersRaw,
  forwardResponseHeadersObject,
  forwardResponseHeadersRaw,
  rawHeaderLookup,
} from './headers.js';
import { sendDrop, sendError } from './respond.js';

export interface Variant {
  readonly name: string;
  readonly flags: HandlerFlags;
  readonly transport: Transport;
  readonly accessLog: AccessLog;
}

export interface PipelineDeps {
  readonly store: SnapshotStore;
  readonly metrics: Metrics;
  /** Called once per finished request (the admin /stats counter). */
  readonly onFinished?: (variant: Variant, status: number, durationMs: number) => void;
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse, variant: Variant) => void;

const ID_PREFIX = randomBytes(4).toString('hex');
let idCounter = 0;
const nextId = () => `${ID_PREFIX}-${(++idCounter).toString(36)}`;

/** Status label for a client that went away before its response was complete (nginx's 499). */
const CLIENT_CLOSED = 499;

export function createPipeline(deps: PipelineDeps): RequestHandler {
  const { store, metrics } = deps;

  return function handle(req, res, variant) {
    const flags = variant.flags;
    const started = performance.now();
    const id = nextId();
    let routeName = 'none';
    let upstreamName: string | undefined;
    let errorKind: string | undefined;
    let requestLog: Record<string, unknown> | undefined;
    let responseLog: Record<string, unknown> | undefined;
    let exchange: Exchange | undefined;

    res.once('close', () => {
      if (!res.writableFinished) exchange?.abort();
      const status = res.writableFinished ? res.statusCode : CLIENT_CLOSED;
      const ms = performance.now() - started;
      metrics.requests.inc({ route: routeName, status, variant: variant.name });
      metrics.requestDuration.observe({ route: routeName, variant: variant.name }, ms / 1000);
      const record: AccessRecord = { id, variant: variant.name, method: req.method ?? '', path: req.url ?? '', status, ms, route: routeName };
      if (upstreamName !== undefined) record.upstream = upstreamName;
      if (errorKind !== undefined) record.error = errorKind;
      if (requestLog || responseLog) record.log = { ...requestLog, ...(responseLog && { response: responseLog }) };
      variant.accessLog.write(record);
      deps.onFinished?.(variant, status, ms);
    });

    const problem = framingProblem(req.rawHeaders, req.httpVersion, req.url ?? '/');
    if (problem) return sendError(res, 400, 'bad_request', `ambiguous request refused: ${problem}`, id, true);

    // Baseline copies the configuration per request and compiles its rules per request.
    const snapshot = store.current;
    const config = flags.snapshot_config ? snapshot.config : structuredClone(snapshot.config);
    const rules = flags.precompiled_rules ? snapshot.rules : compileRules(config);
    const view: RequestView = flags.raw_headers
      ? new RawRequestView(req.rawHeaders, req.method ?? 'GET', req.url ?? '/')
      : new ObjectRequestView(req);

    // Where to: an embedded URL (when enabled and allowed) or a route.
    let target: Target | undefined;
    let path = req.url ?? '/';
    let route: CompiledRoute | undefined;
    const embedded = snapshot.embedded.enabled ? embeddedUrl(view.path, path) : undefined;
    if (embedded) {
      if (!snapshot.embedded.allowed.has(embedded.host.toLowerCase()) && !snapshot.embedded.allowed.has(embedded.hostname.toLowerCase())) {
        return sendError(res, 403, 'embedded_host_not_allowed', `host ${embedded.host} is not on the embedded_url allow-list`, id);
      }
      routeName = 'embedded';
      target = snapshot.embeddedTarget(embedded.origin);
      path = embedded.path;
    } else {
      const router = flags.precompiled_rules ? snapshot.router : compileRouter(config.routes);
      route = router.match(view);
      if (!route) return sendError(res, 404, 'no_route', 'no route matches this request', id);
      routeName = route.name;
    }

    const limits = config.limits;
    const lengthHeader = view.header('content-length');
    const contentLength = lengthHeader === undefined ? undefined : Number(lengthHeader);
    if (contentLength !== undefined && contentLength > limits.max_body_bytes) {
      return sendError(res, 413, 'body_too_large', `request body over ${limits.max_body_bytes} bytes`, id, true);
    }
    const hasBody = (contentLength ?? 0) > 0 || view.header('transfer-encoding') !== undefined;
    const mustBuffer = hasBody && (!flags.streaming || rules.dropNeedsBody);

    const proceed = (buffered: Buffer | undefined) => {
      const bodyText = buffered !== undefined ? buffered.subarray(0, limits.body_capture_bytes).toString('utf8') : hasBody ? undefined : '';
      const drop = rules.drop(view, bodyText ?? '');
      if (drop) {
        metrics.drops.inc({ rule: drop.rule });
        requestLog = { dropped: drop.rule };
        return sendDrop(res, drop.status, drop.body, id);
      }
      if (!target) {
        const group = snapshot.groups.get(route!.upstream)!;
        upstreamName = group.name;
        target = group.balancer.pick();
        if (!target) return sendError(res, 503, 'no_healthy_upstream', `no healthy target in upstream ${group.name}`, id);
      } else {
        upstreamName = target.origin;
      }
      if (flags.burn_us > 0) burn(flags.burn_us);
      forward(target, route, buffered, bodyText, rules);
    };

    const forward = (target: Target, route: CompiledRoute | undefined, buffered: Buffer | undefined, bodyText: string | undefined, rules: RuleSet) => {
      const clientHost = view.header('host') ?? '';
      const upstreamHost = route?.hostRewrite ?? (route && route.preserveHost && clientHost ? clientHost : target.authority);
      const info = { clientIp: req.socket.remoteAddress ?? '', proto: 'http' as const, host: clientHost, upstreamHost };
      const bodyLength = buffered !== undefined ? buffered.length : undefined;
      const headers = flags.raw_headers
        ? forwardRequestHeadersRaw(req.rawHeaders, info, bodyLength)
        : forwardRequestHeadersObject((view as ObjectRequestView).headers, info, bodyLength);

      // Request logging: decided now, or when the body has been seen if a rule needs it.
      const decideRequestLog = (text: string | undefined) => {
        const logDecision = rules.logging(view, text ?? '');
        if (logDecision) {
          metrics.logged.inc({ rule: logDecision.rule, kind: 'request' });
          requestLog = captureRequest(logDecision, view, text, started);
        }
      };

      let body: Buffer | Readable | null = null;
      if (buffered !== undefined) {
        body = buffered;
        decideRequestLog(bodyText);
      } else if (hasBody) {
        body = contentLength === undefined ? req.pipe(new LimitStream(limits.max_body_bytes)) : req;
        if (contentLength === undefined) {
          (body as LimitStream).once('error', (error) => {
            if (error instanceof BodyTooLargeError) {
              exchange?.abort();
              sendError(res, 413, 'body_too_large', error.message, id, true);
            }
          });
        }
        if (rules.logNeedsBody) {
          const capture = new BodyCapture(limits.body_capture_bytes);
          req.on('data', (chunk: Buffer) => capture.add(chunk));
          req.once('end', () => decideRequestLog(capture.text()));
        } else {
          decideRequestLog(undefined);
        }
      } else {
        decideRequestLog('');
      }

      // Response side: stream through with backpressure, or buffer the whole body first.
      const streaming = flags.streaming;
      const framed = req.method !== 'HEAD';
      let status = 0;
      let rawResponseHeaders: string[] = [];
      const chunks: Buffer[] = [];
      let size = 0;
      const responseCapture = rules.hasResponseRules && rules.responseNeedsBody ? new BodyCapture(limits.body_capture_bytes) : undefined;
      const decideResponseLog = () => {
        if (!rules.hasResponseRules) return;
        const decision = rules.response({ status, header: rawHeaderLookup(rawResponseHeaders) }, responseCapture?.text() ?? '');
        if (decision) {
          metrics.logged.inc({ rule: decision.rule, kind: 'response' });
          responseLog = captureResponse(decision, status, rawResponseHeaders, responseCapture, started);
        }
      };

      exchange = variant.transport.send(
        { target, method: req.method ?? 'GET', path, headers, body },
        {
          onHeaders(code, raw) {
            status = code;
            rawResponseHeaders = raw;
            if (res.destroyed) return false;
            if (streaming) {
              res.writeHead(code, flags.raw_headers ? forwardResponseHeadersRaw(raw) : forwardResponseHeadersObject(raw));
            }
            return true;
          },
          onData(chunk) {
            responseCapture?.add(chunk);
            if (!streaming) {
              chunks.push(chunk);
              size += chunk.length;
              return true;
            }
            if (res.write(chunk)) return true;
            res.once('drain', () => exchange?.resume());
            return false;
          },
          onEnd() {
            decideResponseLog();
            if (streaming) {
              res.end();
              return;
            }
            const whole = Buffer.concat(chunks, size);
            const length = framed && status !== 204 && status !== 304 ? whole.length : undefined;
            res.writeHead(status, flags.raw_headers ? forwardResponseHeadersRaw(rawResponseHeaders, length) : forwardResponseHeadersObject(rawResponseHeaders, length));
            res.end(whole);
          },
          onError(error: UpstreamError) {
            // Aborted by us, or already answered (a 413 for an over-long chunked body).
            if (error.kind === 'aborted' || res.destroyed || res.writableEnded) return;
            errorKind = error.kind;
            metrics.upstreamErrors.inc({ upstream: upstreamName ?? '', kind: error.kind, variant: variant.name });
            // Once the response has started, the only honest signal is to cut the connection:
            // a response that ends early must never look complete.
            if (res.headersSent) return void res.destroy();
            sendError(res, error.status, `upstream_${error.kind}`, describe(error), id);
          },
        },
      );
    };

    if (mustBuffer) {
      readBody(req, limits.max_body_bytes).then(proceed, (error: Error) => {
        if (error instanceof BodyTooLargeError) sendError(res, 413, 'body_too_large', error.message, id, true);
        else res.destroy();
      });
    } else {
      proceed(undefined);
    }
  };
}

function embeddedUrl(path: string, url: string): { origin: string; host: string; hostname: string; path: string } | undefined {
  if (!path.startsWith('/http://') && !path.startsWith('/https://')) return undefined;
  try {
    const parsed = new URL(url.slice(1));
    return { origin: parsed.origin, host: parsed.host, hostname: parsed.hostname, path: `${parsed.pathname}${parsed.search}` };
  } catch {
    return undefined;
  }
}

function describe(error: UpstreamError): string {
  switch (error.kind) {
    case 'refused':
      return 'the upstream refused the connection';
    case 'connect_timeout':
      return 'connecting to the upstream timed out';
    case 'headers_timeout':
      return 'the upstream did not answer in time';
    case 'body_timeout':
      return 'the upstream stopped sending its response';
    case 'reset':
      return 'the upstream closed the connection';
    default:
      return 'the upstream request failed';
  }
}

/** Regression injection: spin the CPU for a fixed time, on the request path. */
function burn(us: number): void {
  const until = performance.now() + us / 1000;
  while (performance.now() < until) {
    // busy by design
  }
}

function captureRequest(decision: LogDecision<RequestCapture>, view: RequestView, body: string | undefined, started: number): Record<string, unknown> {
  const c = decision.capture;
  const out: Record<string, unknown> = { rule: decision.rule };
  if (c.method) out['method'] = view.method;
  if (c.path) out['path'] = view.path;
  if (c.headers?.length) out['headers'] = Object.fromEntries(c.headers.map((h) => [h, view.header(h.toLowerCase()) ?? null]));
  if (c.body) out['body'] = body ?? '';
  if (c.timing) out['received_ms'] = Number((performance.now() - started).toFixed(3));
  return out;
}

function captureResponse(
  decision: LogDecision<ResponseCapture>,
  status: number,
  raw: string[],
  body: BodyCapture | undefined,
  started: number,
): Record<string, unknown> {
  const c = decision.capture;
  const lookup = rawHeaderLookup(raw);
  const out: Record<string, unknown> = { rule: decision.rule };
  if (c.status_code) out['status_code'] = status;
  if (c.headers?.length) out['headers'] = Object.fromEntries(c.headers.map((h) => [h, lookup(h.toLowerCase()) ?? null]));
  if (c.body) out['body'] = body?.text() ?? '';
  if (c.timing) out['upstream_ms'] = Number((performance.now() - started).toFixed(3));
  return out;
}

export type { Snapshot };
