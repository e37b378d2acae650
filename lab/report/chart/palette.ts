// One colour per target, stable within a scenario so every chart and the legend agree.
// `direct` is the floor, not a contender: always neutral grey.
import type { TargetResult } from '../../result/schema.js';

// Okabe–Ito: distinguishable with the common colour-vision deficiencies.
const COLORS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#f0e442', '#000000'];
const DIRECT = '#8c8c8c';

export function targetColors(targets: TargetResult[]): Map<string, string> {
  const colors = new Map<string, string>();
  let next = 0;
  for (const t of targets) colors.set(t.name, t.kind === 'direct' ? DIRECT : COLORS[next++ % COLORS.length]!);
  return colors;
}
