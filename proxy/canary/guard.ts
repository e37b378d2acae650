// The canary guard: configured rules evaluated in-process, once a second, over a sliding window
// per variant. A rule breaches while its metric is above its threshold; once that has lasted for_s
// seconds (with at least min_samples requests in the window), the guard reports a breach and the
// controller sets the canary weight to 0. Too few samples is "unknown", never a breach.
import type { CanaryConfig, GuardRuleConfig } from '../config/schema.js';
import type { Role } from './split.js';
import { SlidingWindow, type WindowSummary } from './window.js';

export type GuardSettings = Required<NonNullable<CanaryConfig['guard']>>;

export interface RuleStatus {
  metric: GuardRuleConfig['metric'];
  above: number;
  for_s: number;
  /** the metric over the window; absent while either side has too few samples */
  value?: number;
  /** seconds the rule has been above its threshold without a break */
  breaching_for_s?: number;
}

export interface Breach {
  reason: GuardRuleConfig['metric'];
  value: number;
  above: number;
  for_s: number;
  primary: WindowSummary;
  canary: WindowSummary;
}

/** 5xx answers count as errors; a client that went away (499) or a 4xx is not the canary's fault. */
export const isError = (status: number): boolean => status >= 500 && status !== 499 && status < 600;

export class CanaryGuard {
  private readonly windows: Record<Role, SlidingWindow>;
  private readonly since: Array<number | undefined>;
  private lastValues: Array<number | undefined>;

  constructor(readonly settings: GuardSettings) {
    this.windows = { primary: new SlidingWindow(settings.window_s), canary: new SlidingWindow(settings.window_s) };
    this.since = settings.rules.map(() => undefined);
    this.lastValues = settings.rules.map(() => undefined);
  }

  observe(role: Role, status: number, durationMs: number): void {
    this.windows[role].record(durationMs, isError(status));
  }

  /**
   * Evaluate every rule over the window (call once a second), then move the window on.
   * Returns the first rule that has stayed above its threshold for its for_s, if any.
   */
  evaluate(now: number, armed: boolean): Breach | undefined {
    const primary = this.windows.primary.summary();
    const canary = this.windows.canary.summary();
    this.windows.primary.advance();
    this.windows.canary.advance();
    let breach: Breach | undefined;
    this.lastValues = this.settings.rules.map((rule, i) => {
      const value = this.valueOf(rule, primary, canary);
      if (!armed || value === undefined || !(value > rule.above)) {
        this.since[i] = undefined;
        return value;
      }
      const since = (this.since[i] ??= now);
      if (!breach && now - since >= rule.for_s * 1000) breach = { reason: rule.metric, value, above: rule.above, for_s: rule.for_s, primary, canary };
      return value;
    });
    if (breach) this.reset();
    return breach;
  }

  /** Forget the window and pending rules: a canary raised again after a rollback starts fresh. */
  reset(): void {
    this.windows.primary.clear();
    this.windows.canary.clear();
    this.since.fill(undefined);
  }

  status(now: number): RuleStatus[] {
    return this.settings.rules.map((rule, i) => {
      const value = this.lastValues[i];
      const since = this.since[i];
      return {
        metric: rule.metric,
        above: rule.above,
        for_s: rule.for_s,
        ...(value === undefined ? {} : { value: round(value) }),
        ...(since === undefined ? {} : { breaching_for_s: round((now - since) / 1000) }),
      };
    });
  }

  private valueOf(rule: GuardRuleConfig, primary: WindowSummary, canary: WindowSummary): number | undefined {
    const min = this.settings.min_samples;
    if (canary.requests < min) return undefined;
    switch (rule.metric) {
      case 'error_rate':
        return canary.errors / canary.requests;
      case 'p99_ms':
        return canary.p99_us / 1000;
      case 'p99_ratio':
        if (primary.requests < min || primary.p99_us === 0) return undefined;
        return canary.p99_us / primary.p99_us;
    }
  }
}

const round = (n: number): number => Math.round(n * 1000) / 1000;
