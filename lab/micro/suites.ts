// The micro suites: each case runs the same work through two implementations of the proxy,
// side by side. For the flag-switched components the first implementation is what the baseline
// preset does per request, the second what the optimized preset does; the ratio compares them.
// Only the proxy's own functions are called here: nothing is re-implemented for the benchmark.
import { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { compileRouter } from '../../proxy/routing/router.js';
import { compileRules } from '../../proxy/rules/compile.js';
import { ObjectRequestView, RawRequestView } from '../../proxy/routing/request-view.js';
import {
  forwardRequestHeadersObject,
  forwardRequestHeadersRaw,
  forwardResponseHeadersObject,
  forwardResponseHeadersRaw,
  type ForwardedInfo,
} from '../../proxy/pipeline/headers.js';
import { createBalancer, type BalancerName } from '../../proxy/upstream/balancer.js';
import { createTarget } from '../../proxy/upstream/target.js';
import { createAccessLog, type AccessRecord } from '../../proxy/logging/access-log.js';
import { CONFIG, REQUESTS, REQUEST_HEADERS_RAW, RESPONSE_HEADERS_RAW, requestViews } from './fixtures.js';

export interface MicroImpl {
  /** "baseline" / "optimized" for flag-switched components, otherwise the implementation's name. */
  readonly name: string;
  /** One operation. Its return value is kept, so the work cannot be optimized away. */
  readonly fn: () => unknown;
  /** Unmeasured work after each sample (e.g. let an asynchronous sink drain). */
  readonly settle?: () => Promise<void>;
}

export interface MicroCase {
  readonly name: string;
  /** The first implementation is the reference the others' ratios are taken against. */
  readonly impls: readonly MicroImpl[];
}

export interface MicroSuite {
  readonly name: string;
  /** The flag that switches between the implementations, when there is one. */
  readonly flag?: string;
  readonly description: string;
  /** Built only when the suite runs, so --filter does not set up the others. */
  cases(): MicroCase[];
}

/** Rotate through a fixed list, one item per call. */
function rotate<T>(items: readonly T[]): () => T {
  let i = 0;
  return () => {
    const item = items[i]!;
    i = i + 1 === items.length ? 0 : i + 1;
    return item;
  };
}

const routing: MicroSuite = {
  name: 'routing',
  flag: 'precompiled_rules',
  description: `route matching over ${CONFIG.routes.length} routes (prefix, exact, regex, method, header, query, host): compileRouter + match per request vs a router compiled once per snapshot`,
  cases() {
    const router = compileRouter(CONFIG.routes);
    const nextB = rotate(requestViews());
    const nextO = rotate(requestViews());
    return [
      {
        name: `match, ${CONFIG.routes.length} routes`,
        impls: [
          { name: 'baseline', fn: () => compileRouter(CONFIG.routes).match(nextB()) },
          { name: 'optimized', fn: () => router.match(nextO()) },
        ],
      },
    ];
  },
};

const rules: MicroSuite = {
  name: 'rules',
  flag: 'precompiled_rules',
  description:
    'logprox drop + logging rules with path, header and body regexes: compileRules + evaluate per request vs rules compiled once per snapshot',
  cases() {
    const compiled = compileRules(CONFIG);
    const inputs = requestViews().map((view, i) => ({ view, body: REQUESTS[i]!.body }));
    const nextB = rotate(inputs);
    const nextO = rotate(inputs);
    // As the pipeline does: the drop decision first, logging only for what is forwarded.
    const evaluate = (set: typeof compiled, { view, body }: (typeof inputs)[number]) => set.drop(view, body) ?? set.logging(view, body);
    return [
      {
        name: 'drop + logging',
        impls: [
          { name: 'baseline', fn: () => evaluate(compileRules(CONFIG), nextB()) },
          { name: 'optimized', fn: () => evaluate(compiled, nextO()) },
        ],
      },
    ];
  },
};

/** A fresh IncomingMessage filled the way Node's HTTP parser fills it; its `headers` object is built lazily on first read. */
function incoming(raw: readonly string[]): IncomingMessage {
  const req = new IncomingMessage(null as unknown as Socket);
  (req as unknown as { _addHeaderLines(h: string[], n: number): void })._addHeaderLines([...raw], raw.length);
  req.method = 'GET';
  req.url = '/api/items/42?full=1';
  return req;
}

const headers: MicroSuite = {
  name: 'headers',
  flag: 'raw_headers',
  description:
    'header rewriting (hop-by-hop removal, X-Forwarded-*, Via): request view + rewrite from the lazily built req.headers object vs straight from req.rawHeaders; response rewrite into an object vs a raw array',
  cases() {
    const info: ForwardedInfo = { clientIp: '10.1.2.3', proto: 'http', host: 'shop.example', upstreamHost: 'shop.example' };
    return [
      {
        name: `request, ${REQUEST_HEADERS_RAW.length / 2} headers`,
        impls: [
          {
            name: 'baseline',
            fn: () => {
              const req = incoming(REQUEST_HEADERS_RAW);
              const view = new ObjectRequestView(req);
              view.header('content-length');
              return forwardRequestHeadersObject(view.headers, { ...info, host: view.header('host') ?? '' });
            },
          },
          {
            name: 'optimized',
            fn: () => {
              const req = incoming(REQUEST_HEADERS_RAW);
              const view = new RawRequestView(req.rawHeaders, req.method!, req.url!);
              view.header('content-length');
              return forwardRequestHeadersRaw(req.rawHeaders, { ...info, host: view.header('host') ?? '' });
            },
          },
        ],
      },
      {
        name: `response, ${RESPONSE_HEADERS_RAW.length / 2} headers`,
        impls: [
          { name: 'baseline', fn: () => forwardResponseHeadersObject(RESPONSE_HEADERS_RAW) },
          { name: 'optimized', fn: () => forwardResponseHeadersRaw(RESPONSE_HEADERS_RAW) },
        ],
      },
    ];
  },
};

const balancer: MicroSuite = {
  name: 'balancer',
  description:
    'one pick per request: round robin vs smooth weighted round robin (nginx). Not flag-switched: both presets use the configured balancer, so the ratio compares the algorithms',
  cases() {
    const make = (name: BalancerName, weights: number[], unhealthy: number[] = []) => {
      const targets = weights.map((w, i) => createTarget(`http://10.0.0.${i + 1}:8080`, w));
      for (const i of unhealthy) targets[i]!.healthy = false;
      const b = createBalancer(name, targets);
      return () => b.pick();
    };
    return [
      {
        name: 'pick, 4 targets (5:1:1:1)',
        impls: [
          { name: 'round_robin', fn: make('round_robin', [5, 1, 1, 1]) },
          { name: 'weighted_rr', fn: make('weighted_round_robin', [5, 1, 1, 1]) },
        ],
      },
      {
        name: 'pick, 4 targets, 2 unhealthy',
        impls: [
          { name: 'round_robin', fn: make('round_robin', [5, 1, 1, 1], [0, 2]) },
          { name: 'weighted_rr', fn: make('weighted_round_robin', [5, 1, 1, 1], [0, 2]) },
        ],
      },
    ];
  },
};

const accessLog: MicroSuite = {
  name: 'access-log',
  flag: 'async_logging',
  description:
    "one access-log record to /dev/null: JSON.stringify + a synchronous write vs pino into an asynchronous SonicBoom (the request path's share; the batched write itself happens between samples)",
  cases() {
    const sync = createAccessLog('/dev/null', false);
    const async = createAccessLog('/dev/null', true);
    let n = 0;
    const record = (): AccessRecord => ({
      id: `a1b2c3d4-${(++n).toString(36)}`,
      variant: 'optimized',
      method: 'POST',
      path: '/api/orders?source=web',
      status: 201,
      ms: 1.734,
      route: 'orders',
      upstream: 'app',
      log: { rule: 'api-writes', headers: { 'content-type': 'application/json', 'user-agent': 'lab' } },
    });
    const drain = () => new Promise<void>((resolve) => setImmediate(resolve));
    return [
      {
        name: 'write one record',
        impls: [
          { name: 'baseline', fn: () => sync.write(record()), settle: drain },
          { name: 'optimized', fn: () => async.write(record()), settle: drain },
        ],
      },
    ];
  },
};

export const SUITES: readonly MicroSuite[] = [routing, rules, headers, balancer, accessLog];
