// The live canary of one proxy process: the two variants, the split's weight (exported as a gauge),
// and the guard, ticking once a second, that sets the weight to 0 on a breach, logs why as one JSON
// line and counts the rollback by reason.
import type { IncomingMessage } from 'node:http';
import type { CanaryConfig } from '../config/schema.js';
import type { Metrics } from '../metrics/registry.js';
import type { Variant } from '../pipeline/handle.js';
import { CanaryGuard, type Breach, type GuardSettings } from './guard.js';
import { TrafficSplit } from './split.js';

export interface CanaryDeps {
  readonly primary: Variant;
  readonly canary: Variant;
  readonly settings: CanaryConfig;
  readonly metrics: Metrics;
  readonly log: (line: string) => void;
}

export interface Rollback extends Breach {
  at: string;
  /** the weight the canary had when it was rolled back */
  weight: number;
}

const GUARD_DEFAULTS: GuardSettings = { window_s: 10, min_samples: 100, rules: [] };

export class CanaryController {
  readonly primary: Variant;
  readonly canary: Variant;
  private readonly split: TrafficSplit;
  private readonly guard: CanaryGuard | undefined;
  private readonly timer: NodeJS.Timeout | undefined;
  private lastRollback: Rollback | undefined;
  private rollbacks = 0;

  constructor(private readonly deps: CanaryDeps) {
    this.primary = deps.primary;
    this.canary = deps.canary;
    const s = deps.settings;
    this.split = new TrafficSplit({
      ...(s.sticky ? { sticky: s.sticky } : {}),
      overrideHeader: s.override_header,
      names: { primary: deps.primary.name, canary: deps.canary.name },
    });
    this.setWeight(s.weight, 'config');
    const guard = { ...GUARD_DEFAULTS, ...s.guard };
    if (guard.rules.length > 0) {
      this.guard = new CanaryGuard(guard);
      this.timer = setInterval(() => this.tick(Date.now()), 1000);
      this.timer.unref();
    }
  }

  get weight(): number {
    return this.split.weight;
  }

  /** The variant for this request. */
  pick(req: IncomingMessage): Variant {
    return this.split.roleOf(req) === 'canary' ? this.canary : this.primary;
  }

  observe(variant: Variant, status: number, durationMs: number): void {
    if (!this.guard) return;
    if (variant === this.canary) this.guard.observe('canary', status, durationMs);
    else if (variant === this.primary) this.guard.observe('primary', status, durationMs);
  }

  setWeight(weight: number, by: string): void {
    const from = this.split.weight;
    this.split.weight = weight;
    this.deps.metrics.canaryWeight.set(weight);
    if (by === 'admin' && from !== weight) this.deps.log(JSON.stringify({ level: 'info', time: new Date().toISOString(), msg: 'canary weight set', weight, from, by }));
  }

  /** Once a second: evaluate the guard; on a breach, roll back. Exposed for tests. */
  tick(now: number): Rollback | undefined {
    const breach = this.guard?.evaluate(now, this.split.weight > 0);
    if (!breach) return undefined;
    const rollback: Rollback = { ...breach, at: new Date(now).toISOString(), weight: this.split.weight };
    this.setWeight(0, 'guard');
    this.lastRollback = rollback;
    this.rollbacks++;
    this.deps.metrics.canaryRollbacks.inc({ reason: breach.reason });
    this.deps.log(
      JSON.stringify({
        level: 'warn',
        time: rollback.at,
        msg: 'canary rolled back by the guard',
        reason: breach.reason,
        value: breach.value,
        above: breach.above,
        for_s: breach.for_s,
        weight_was: rollback.weight,
        canary: { variant: this.canary.name, ...breach.canary },
        primary: { variant: this.primary.name, ...breach.primary },
      }),
    );
    return rollback;
  }

  state(): Record<string, unknown> {
    const now = Date.now();
    return {
      enabled: true,
      weight: this.split.weight,
      variants: { primary: this.primary.name, canary: this.canary.name },
      sticky: this.deps.settings.sticky?.by ?? 'none',
      override_header: this.deps.settings.override_header,
      guard: this.guard
        ? {
            state: this.split.weight === 0 ? (this.lastRollback ? 'rolled_back' : 'idle') : 'watching',
            window_s: this.guard.settings.window_s,
            min_samples: this.guard.settings.min_samples,
            rules: this.guard.status(now),
          }
        : { state: 'off', rules: [] },
      rollbacks: this.rollbacks,
      last_rollback: this.lastRollback ?? null,
    };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
