// Inputs for the micro suites: one proxy configuration (20 routes, logprox logging and drop rules)
// validated by the proxy's own loader, and a small rotation of requests that hit routes and rules
// at different depths. Fixed data, so two runs measure the same work.
import { resolveConfig, type ResolvedConfig } from '../../proxy/config/load.js';
import { RawRequestView, type RequestView } from '../../proxy/routing/request-view.js';

const route = (name: string, match: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ name, match, upstream: 'app', ...extra });

/** 20 routes: prefixes, exact paths, 4 regexes, methods, header and host matches, a fallback. */
const ROUTES = [
  route('users', { path: { prefix: '/api/users' } }),
  route('orders', { path: { prefix: '/api/orders' } }),
  route('items', { path: { prefix: '/api/items' } }),
  route('carts', { path: { prefix: '/api/carts' } }),
  route('search', { path: { prefix: '/api/search' }, methods: ['GET'] }),
  route('reviews', { path: { regex: '^/api/products/[0-9]+/reviews$' } }),
  route('products', { path: { prefix: '/api/products' } }),
  route('payments', { path: { prefix: '/api/payments' }, methods: ['POST'] }),
  route('invoices', { path: { regex: '^/api/invoices/[a-f0-9]{8}(/pdf)?$' } }),
  route('shipping', { path: { prefix: '/api/shipping' } }),
  route('v2-users', { path: { prefix: '/v2/users' }, headers: { 'x-api-version': { exact: '2' } } }),
  route('v2-orders', { path: { prefix: '/v2/orders' }, query: { tenant: { regex: '^[a-z]+$' } } }),
  route('admin', { path: { prefix: '/admin' }, headers: { authorization: { present: true } } }),
  route('static-js', { path: { regex: '^/static/.+\\.js$' } }),
  route('static-css', { path: { regex: '(?i)^/static/.+\\.css$' } }),
  route('health', { path: { exact: '/healthz' } }),
  route('metrics', { path: { exact: '/metrics' } }),
  route('graphql', { path: { exact: '/graphql' }, methods: ['POST'] }),
  route('tenant', { host: '*.tenants.example' }),
  route('fallback', {}, { priority: -1 }),
];

export const CONFIG: ResolvedConfig = resolveConfig(
  {
    upstreams: [{ name: 'app', targets: [{ url: 'http://127.0.0.1:9' }] }],
    routes: ROUTES,
    logging: {
      default: false,
      rules: [
        {
          name: 'api-writes',
          match_conditions: { path: { patterns: ['^/api/'] }, methods: ['POST', 'PUT', 'DELETE'] },
          capture: { method: true, path: true, timing: true, headers: ['content-type', 'user-agent'] },
        },
        {
          name: 'card-numbers',
          match_conditions: { body: { patterns: ['"card"\\s*:\\s*"[0-9]{12,19}"', '(?i)password'] } },
          capture: { method: true, path: true, timing: true, body: true },
        },
        {
          name: 'search-queries',
          match_conditions: { path: { patterns: ['^/api/search', '^/api/products/[0-9]+/reviews'] } },
          capture: { method: true, path: true, timing: true, headers: ['x-request-id'] },
        },
        {
          name: 'tracing',
          match_conditions: { headers: { 'x-trace': '^on$', 'x-request-id': '^[a-z0-9-]{3,64}$' } },
          capture: { method: true, path: true, timing: true, headers: ['x-request-id', 'x-trace'] },
        },
      ],
    },
    drop: {
      default: false,
      rules: [
        { name: 'block-scanners', match_conditions: { path: { patterns: ['\\.php$', '^/wp-', '/\\.env$', '/\\.git/'] } }, response: { status_code: 403, body: 'forbidden' } },
        { name: 'block-bad-agents', match_conditions: { headers: { 'user-agent': '(?i)sqlmap|nikto|masscan' } }, response: { status_code: 403 } },
        { name: 'block-injection', match_conditions: { body: { patterns: ['(?i)union\\s+select', '<script[^>]*>'] } }, response: { status_code: 400, body: 'rejected' } },
      ],
    },
  },
  'lab/micro/fixtures.ts',
);

export interface MicroRequest {
  raw: string[];
  method: string;
  url: string;
  body: string;
}

const COMMON = ['Host', 'shop.example', 'User-Agent', 'Mozilla/5.0 (X11; Linux x86_64) lab', 'Accept', '*/*', 'Accept-Encoding', 'gzip, br'];

/** A mix of reads, writes with bodies, a scanner probe, tenant and fallback traffic. */
export const REQUESTS: readonly MicroRequest[] = [
  { method: 'GET', url: '/api/items/42', raw: [...COMMON, 'X-Request-Id', 'req-1'], body: '' },
  { method: 'GET', url: '/api/search?q=proxy', raw: [...COMMON, 'X-Request-Id', 'abc-123', 'X-Trace', 'on'], body: '' },
  { method: 'GET', url: '/api/products/7/reviews', raw: COMMON, body: '' },
  {
    method: 'POST',
    url: '/api/orders',
    raw: [...COMMON, 'Content-Type', 'application/json', 'Content-Length', '96'],
    body: '{"items":[{"sku":"A-1","qty":2}],"card":"4111111111111111","note":"leave at the door, thanks"}',
  },
  { method: 'GET', url: '/static/app.js', raw: COMMON, body: '' },
  { method: 'GET', url: '/v2/orders/9?tenant=acme', raw: [...COMMON, 'X-Api-Version', '2'], body: '' },
  { method: 'GET', url: '/wp-login.php', raw: [...COMMON.slice(0, 2), 'User-Agent', 'sqlmap/1.7'], body: '' },
  { method: 'GET', url: '/', raw: ['Host', 'a.tenants.example', 'Accept', '*/*'], body: '' },
  { method: 'GET', url: '/unknown/path', raw: COMMON, body: '' },
];

export function requestViews(): RequestView[] {
  return REQUESTS.map((r) => new RawRequestView(r.raw, r.method, r.url));
}

/** A browser-like request header block with hop-by-hop and forwarding headers to rewrite. */
export const REQUEST_HEADERS_RAW: readonly string[] = [
  'Host', 'shop.example',
  'User-Agent', 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  'Accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'Accept-Language', 'en-US,en;q=0.5',
  'Accept-Encoding', 'gzip, deflate, br',
  'Connection', 'keep-alive, X-Debug',
  'X-Debug', '1',
  'Cookie', 'session=7f3a2c9e1b; theme=dark; consent=yes',
  'X-Forwarded-For', '203.0.113.7',
  'X-Request-Id', 'req-0001',
  'Cache-Control', 'no-cache',
  'Upgrade-Insecure-Requests', '1',
];

/** An origin response header block: framing, caching, cookies, one hop-by-hop header. */
export const RESPONSE_HEADERS_RAW: readonly string[] = [
  'Content-Type', 'application/json; charset=utf-8',
  'Content-Length', '1024',
  'Date', 'Tue, 01 Jul 2025 12:00:00 GMT',
  'Cache-Control', 'private, max-age=0',
  'ETag', '"5f2a-1b3c"',
  'Set-Cookie', 'a=1; Path=/; HttpOnly',
  'Set-Cookie', 'b=2; Path=/; Secure',
  'Keep-Alive', 'timeout=5',
  'Connection', 'keep-alive',
  'Vary', 'Accept-Encoding',
];
