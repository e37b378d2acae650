// Balancers pick one healthy target per request. Round robin cycles; smooth weighted round robin
// (nginx's algorithm) spreads a target's share evenly instead of in bursts: 5:1:1 gives
// a a b a c a a, not a a a a a b c.
import type { Target } from './target.js';

export type BalancerName = 'round_robin' | 'weighted_round_robin';

export interface Balancer {
  pick(): Target | undefined;
}

export function createBalancer(name: BalancerName, targets: readonly Target[]): Balancer {
  return name === 'weighted_round_robin' ? new SmoothWeightedRoundRobin(targets) : new RoundRobin(targets);
}

class RoundRobin implements Balancer {
  #next = 0;
  constructor(private readonly targets: readonly Target[]) {}
  pick(): Target | undefined {
    const n = this.targets.length;
    for (let tried = 0; tried < n; tried++) {
      const target = this.targets[this.#next]!;
      this.#next = (this.#next + 1) % n;
      if (target.healthy) return target;
    }
    return undefined;
  }
}

class SmoothWeightedRoundRobin implements Balancer {
  readonly #current: number[];
  constructor(private readonly targets: readonly Target[]) {
    this.#current = targets.map(() => 0);
  }
  pick(): Target | undefined {
    let total = 0;
    let best = -1;
    for (let i = 0; i < this.targets.length; i++) {
      const target = this.targets[i]!;
      if (!target.healthy) continue;
      this.#current[i]! += target.weight;
      total += target.weight;
      if (best === -1 || this.#current[i]! > this.#current[best]!) best = i;
    }
    if (best === -1) return undefined;
    this.#current[best]! -= total;
    return this.targets[best];
  }
}
