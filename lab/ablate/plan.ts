// The targets of an ablation: baseline and optimized, and per flag baseline+flag and optimized−flag.
// Built from the same target specs `proxylab compare` takes, so they inherit the scenario's proxy
// config the same way.
import type { Scenario, Target } from '../scenario/load.js';
import { renamed, resolveTargetSpec } from '../compare/targets.js';

export interface FlagPair {
  flag: string;
  /** baseline with only this flag on */
  alone: string;
  /** optimized with only this flag off */
  without: string;
}

export interface AblationPlan {
  targets: Target[];
  pairs: FlagPair[];
}

export const BASELINE = 'baseline';
export const OPTIMIZED = 'optimized';

export function planAblation(scenario: Scenario, flags: string[]): AblationPlan {
  // Presets and flag sets only: a scenario target that happens to be called "baseline" is not used.
  const target = (spec: string, name: string) => renamed(resolveTargetSpec(spec, scenario, '--flags', { named: false }), name);
  const targets: Target[] = [target(BASELINE, BASELINE), target(OPTIMIZED, OPTIMIZED)];
  const pairs: FlagPair[] = [];
  for (const flag of flags) {
    const pair = { flag, alone: `${BASELINE}+${flag}`, without: `${OPTIMIZED}-${flag}` };
    targets.push(target(`${BASELINE},${flag}=on`, pair.alone), target(`${OPTIMIZED},${flag}=off`, pair.without));
    pairs.push(pair);
  }
  return { targets, pairs };
}
