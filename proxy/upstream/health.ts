// Active health checks: a target leaves rotation after `unhealthy_threshold` failed probes in a
// row and comes back after `healthy_threshold` good ones. Probes run on their own timer, never
// on the request path.
import { request } from 'undici';
import type { Target } from './target.js';

export interface HealthCheckConfig {
  path: string;
  interval_ms: number;
  timeout_ms: number;
  unhealthy_threshold: number;
  healthy_threshold: number;
}

export class HealthChecker {
  #timer: NodeJS.Timeout | undefined;
  readonly #streak = new Map<Target, number>();

  constructor(
    private readonly targets: readonly Target[],
    private readonly config: HealthCheckConfig,
    private readonly onChange: (target: Target, healthy: boolean) => void = () => {},
  ) {}

  start(): void {
    const tick = () => void this.probeAll().finally(() => {
      if (this.#timer) this.#timer = setTimeout(tick, this.config.interval_ms).unref();
    });
    this.#timer = setTimeout(tick, 0).unref();
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async probeAll(): Promise<void> {
    await Promise.all(this.targets.map((target) => this.probe(target)));
  }

  private async probe(target: Target): Promise<void> {
    let ok = false;
    try {
      const res = await request(`${target.origin}${this.config.path}`, {
        method: 'GET',
        headersTimeout: this.config.timeout_ms,
        bodyTimeout: this.config.timeout_ms,
      });
      await res.body.dump();
      ok = res.statusCode >= 200 && res.statusCode < 400;
    } catch {
      ok = false;
    }
    // A streak counts in the direction of the probe result: positive for good, negative for bad.
    const previous = this.#streak.get(target) ?? 0;
    const streak = ok ? Math.max(previous, 0) + 1 : Math.min(previous, 0) - 1;
    this.#streak.set(target, streak);
    if (target.healthy && streak <= -this.config.unhealthy_threshold) {
      target.healthy = false;
      this.onChange(target, false);
    } else if (!target.healthy && streak >= this.config.healthy_threshold) {
      target.healthy = true;
      this.onChange(target, true);
    }
  }
}
