// A configuration compiled into an immutable snapshot: routes, rules, upstream groups with their
// balancers. Requests read the snapshot that was current when they arrived; a reload builds a new
// one and swaps a single reference, so no request ever sees half a configuration.
import { compileRouter, type Router } from '../routing/router.js';
import { compileRules, type RuleSet } from '../rules/compile.js';
import { createBalancer, type Balancer } from '../upstream/balancer.js';
import { createTarget, type Target } from '../upstream/target.js';
import type { HealthCheckConfig } from '../upstream/health.js';
import type { PoolOptions } from '../upstream/pooled-transport.js';
import type { ResolvedConfig } from './load.js';

export interface UpstreamGroup {
  readonly name: string;
  readonly targets: readonly Target[];
  readonly balancer: Balancer;
  readonly pool: PoolOptions;
  readonly healthCheck: HealthCheckConfig | undefined;
}

export interface Snapshot {
  readonly version: number;
  readonly config: ResolvedConfig;
  readonly source: string;
  readonly router: Router;
  readonly rules: RuleSet;
  readonly groups: ReadonlyMap<string, UpstreamGroup>;
  readonly embedded: { readonly enabled: boolean; readonly allowed: ReadonlySet<string> };
  /** Targets for embedded-URL requests, one per allowed origin, made on first use. */
  embeddedTarget(origin: string): Target;
}

export const DEFAULT_POOL: PoolOptions = { connections: 64, pipelining: 1 };

export function compileSnapshot(config: ResolvedConfig, version: number, source: string): Snapshot {
  const groups = new Map<string, UpstreamGroup>();
  for (const upstream of config.upstreams) {
    const targets = upstream.targets.map((t) => createTarget(t.url, t.weight ?? 1));
    groups.set(upstream.name, {
      name: upstream.name,
      targets,
      balancer: createBalancer(upstream.balancer ?? 'round_robin', targets),
      pool: { ...DEFAULT_POOL, ...upstream.pool },
      healthCheck: upstream.health_check as HealthCheckConfig | undefined,
    });
  }
  const embeddedTargets = new Map<string, Target>();
  return Object.freeze({
    version,
    config: deepFreeze(config),
    source,
    router: compileRouter(config.routes),
    rules: compileRules(config),
    groups,
    embedded: Object.freeze({
      enabled: config.embedded_url.enabled,
      allowed: new Set(config.embedded_url.allowed_hosts.map((h) => h.toLowerCase())),
    }),
    embeddedTarget(origin: string): Target {
      let target = embeddedTargets.get(origin);
      if (!target) embeddedTargets.set(origin, (target = createTarget(origin)));
      return target;
    },
  });
}

/** Every origin a snapshot may send to: the pools to keep across a reload. */
export function originsOf(snapshot: Snapshot): Set<string> {
  const origins = new Set<string>();
  for (const group of snapshot.groups.values()) for (const target of group.targets) origins.add(target.origin);
  return origins;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
