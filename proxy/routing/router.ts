// Routes compiled into an ordered list of matchers: host, path (prefix, exact, regex), method,
// header, query. Higher priority first; equal priorities keep file order. Compiling is the only
// place regexes are built: the optimized variant compiles once per snapshot, the baseline calls
// compileRouter on every request (precompiled_rules off), so both match identically.
import type { ProxyConfig } from '../config/schema.js';
import { toRegExp } from '../config/regex.js';
import type { RequestView } from './request-view.js';

type RouteConfig = ProxyConfig['routes'][number];
type StringMatch = NonNullable<NonNullable<RouteConfig['match']>['headers']>[string];
type Test = (view: RequestView) => boolean;

export interface CompiledRoute {
  readonly name: string;
  readonly upstream: string;
  readonly preserveHost: boolean;
  readonly hostRewrite: string | undefined;
  readonly matches: Test;
}

export interface Router {
  match(view: RequestView): CompiledRoute | undefined;
}

export function compileRouter(routes: readonly RouteConfig[]): Router {
  const compiled = routes
    .map((route, index) => ({ route, index }))
    .sort((a, b) => (b.route.priority ?? 0) - (a.route.priority ?? 0) || a.index - b.index)
    .map(({ route }) => compileRoute(route));
  return {
    match(view) {
      for (const route of compiled) if (route.matches(view)) return route;
      return undefined;
    },
  };
}

function compileRoute(route: RouteConfig): CompiledRoute {
  const tests: Test[] = [];
  const m = route.match ?? {};
  if (m.host !== undefined) tests.push(hostTest(m.host));
  if (m.path?.exact !== undefined) {
    const exact = m.path.exact;
    tests.push((v) => v.path === exact);
  } else if (m.path?.prefix !== undefined) {
    const prefix = m.path.prefix;
    tests.push((v) => v.path.startsWith(prefix));
  } else if (m.path?.regex !== undefined) {
    const re = toRegExp(m.path.regex);
    tests.push((v) => re.test(v.path));
  }
  if (m.methods) {
    const methods = new Set(m.methods);
    tests.push((v) => methods.has(v.method));
  }
  for (const [name, match] of Object.entries(m.headers ?? {})) {
    const lower = name.toLowerCase();
    const test = valueTest(match);
    tests.push((v) => test(v.header(lower)));
  }
  for (const [name, match] of Object.entries(m.query ?? {})) {
    const test = valueTest(match);
    tests.push((v) => test(v.queryParam(name)));
  }
  return {
    name: route.name,
    upstream: route.upstream,
    preserveHost: route.preserve_host ?? true,
    hostRewrite: route.host_rewrite,
    matches: (view) => {
      for (const test of tests) if (!test(view)) return false;
      return true;
    },
  };
}

function hostTest(pattern: string): Test {
  const lower = pattern.toLowerCase();
  if (lower.startsWith('*.')) {
    const suffix = lower.slice(1);
    return (v) => v.host.endsWith(suffix) && v.host.length > suffix.length;
  }
  return (v) => v.host === lower;
}

function valueTest(match: StringMatch): (value: string | undefined) => boolean {
  if (match.exact !== undefined) {
    const exact = match.exact;
    return (value) => value === exact;
  }
  if (match.regex !== undefined) {
    const re = toRegExp(match.regex);
    return (value) => value !== undefined && re.test(value);
  }
  const present = match.present ?? true;
  return (value) => (value !== undefined) === present;
}
