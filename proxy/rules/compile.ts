// logprox request control: logging, drop and response_logging rules, first match wins.
// Within a rule, condition kinds AND together; the patterns of one list OR together.
// Like routes, rules are compiled once per snapshot (optimized) or per request (baseline).
import type { ProxyConfig } from '../config/schema.js';
import { toRegExp } from '../config/regex.js';
import type { RequestView } from '../routing/request-view.js';

type Conditions = NonNullable<ProxyConfig['logging']>['rules'][number]['match_conditions'];
type ResponseRule = NonNullable<ProxyConfig['response_logging']>['rules'][number];
export type RequestCapture = NonNullable<ProxyConfig['logging']>['rules'][number]['capture'];
export type ResponseCapture = ResponseRule['capture'];

export interface DropDecision {
  readonly rule: string;
  readonly status: number;
  readonly body: string;
}
export interface LogDecision<C> {
  readonly rule: string;
  readonly capture: C;
}

export interface ResponseView {
  readonly status: number;
  header(name: string): string | undefined;
}

export interface RuleSet {
  /** A drop rule looks at the body, so the body must be read before anything is forwarded. */
  readonly dropNeedsBody: boolean;
  /** A logging rule looks at or captures the body: tee it while forwarding. */
  readonly logNeedsBody: boolean;
  readonly responseNeedsBody: boolean;
  readonly hasResponseRules: boolean;
  drop(view: RequestView, body: string | undefined): DropDecision | undefined;
  logging(view: RequestView, body: string | undefined): LogDecision<RequestCapture> | undefined;
  response(view: ResponseView, body: string | undefined): LogDecision<ResponseCapture> | undefined;
}

type RequestTest = (view: RequestView, body: string | undefined) => boolean;

const DEFAULT_REQUEST_CAPTURE: RequestCapture = { method: true, path: true, timing: true };
const DEFAULT_RESPONSE_CAPTURE: ResponseCapture = { status_code: true, timing: true };

export function compileRules(config: Pick<ProxyConfig, 'logging' | 'drop' | 'response_logging'>): RuleSet {
  const drops = (config.drop?.rules ?? []).map((rule) => ({
    test: compileConditions(rule.match_conditions),
    decision: { rule: rule.name, status: rule.response.status_code, body: rule.response.body ?? '' },
  }));
  const dropDefault = config.drop?.default ? { rule: 'default', status: 403, body: 'Forbidden' } : undefined;
  const logs = (config.logging?.rules ?? []).map((rule) => ({
    test: compileConditions(rule.match_conditions),
    decision: { rule: rule.name, capture: rule.capture },
  }));
  const logDefault = config.logging?.default ? { rule: 'default', capture: DEFAULT_REQUEST_CAPTURE } : undefined;
  const responses = (config.response_logging?.rules ?? []).map((rule) => ({
    test: compileResponseConditions(rule.match_conditions),
    decision: { rule: rule.name, capture: rule.capture },
  }));
  const responseDefault = config.response_logging?.default ? { rule: 'default', capture: DEFAULT_RESPONSE_CAPTURE } : undefined;

  return {
    dropNeedsBody: (config.drop?.rules ?? []).some((r) => (r.match_conditions.body?.patterns.length ?? 0) > 0),
    logNeedsBody: (config.logging?.rules ?? []).some(
      (r) => (r.match_conditions.body?.patterns.length ?? 0) > 0 || r.capture.body === true,
    ),
    responseNeedsBody: (config.response_logging?.rules ?? []).some(
      (r) => (r.match_conditions.body?.patterns.length ?? 0) > 0 || r.capture.body === true,
    ),
    hasResponseRules: responses.length > 0 || responseDefault !== undefined,
    drop(view, body) {
      for (const rule of drops) if (rule.test(view, body)) return rule.decision;
      return dropDefault;
    },
    logging(view, body) {
      for (const rule of logs) if (rule.test(view, body)) return rule.decision;
      return logDefault;
    },
    response(view, body) {
      for (const rule of responses) if (rule.test(view, body)) return rule.decision;
      return responseDefault;
    },
  };
}

function anyOf(patterns: readonly string[] | undefined): ((text: string) => boolean) | undefined {
  if (!patterns || patterns.length === 0) return undefined;
  const res = patterns.map((p) => toRegExp(p));
  return (text) => res.some((re) => re.test(text));
}

function headerTests(headers: Record<string, string> | undefined): Array<[string, RegExp]> {
  return Object.entries(headers ?? {}).map(([name, pattern]) => [name.toLowerCase(), toRegExp(pattern)]);
}

function compileConditions(c: Conditions): RequestTest {
  const path = anyOf(c.path?.patterns);
  const methods = c.methods && c.methods.length > 0 ? new Set(c.methods.map((m) => m.toUpperCase())) : undefined;
  const headers = headerTests(c.headers);
  const body = anyOf(c.body?.patterns);
  return (view, text) => {
    if (path && !path(view.path)) return false;
    if (methods && !methods.has(view.method)) return false;
    for (const [name, re] of headers) {
      const value = view.header(name);
      if (value === undefined || !re.test(value)) return false;
    }
    if (body && !body(text ?? '')) return false;
    return true;
  };
}

function compileResponseConditions(c: ResponseRule['match_conditions']): (view: ResponseView, body: string | undefined) => boolean {
  const statuses = c.status_codes && c.status_codes.length > 0 ? new Set(c.status_codes) : undefined;
  const headers = headerTests(c.headers);
  const body = anyOf(c.body?.patterns);
  return (view, text) => {
    if (statuses && !statuses.has(view.status)) return false;
    for (const [name, re] of headers) {
      const value = view.header(name);
      if (value === undefined || !re.test(value)) return false;
    }
    if (body && !body(text ?? '')) return false;
    return true;
  };
}
