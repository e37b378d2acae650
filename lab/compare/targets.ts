// Target specs for `proxylab compare` and `proxylab ablate`, resolved against a scenario:
//   NAME                    a target of the scenario file, as written there (e.g. nginx)
//   baseline | optimized    a preset
//   PRESET,flag=on,...      a preset with flags switched (parsed by proxy/handlers/flags.ts);
//                           burn=50us adds regression injection
//   flag=on,...             the same on top of baseline
// Anything else is a UsageError (exit 2) that names the bad value.
import { UsageError } from '../errors.js';
import { FLAG_NAMES, FlagError, parseFlagArgument, type PresetName } from '../../proxy/handlers/flags.js';
import type { ProxyTarget, Scenario, Target } from '../scenario/load.js';

const PRESETS: readonly PresetName[] = ['baseline', 'optimized'];

export function resolveTargetSpec(spec: string, scenario: Scenario, option: string, opts: { named?: boolean } = {}): Target {
  const text = spec.trim();
  const named = opts.named === false ? undefined : scenario.targets.find((t) => t.name === text);
  if (named) return named;
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p !== '');
  const hint = `expected a target of ${scenario.file} (have: ${scenario.targets.map((t) => t.name).join(', ') || 'none'}), ` +
    `a preset (${PRESETS.join(', ')}) or a flag set such as optimized,pooling=off`;
  if (parts.length === 0) throw new UsageError('TARGET_INVALID', `${option} "${spec}": empty target; ${hint}`);
  let preset: PresetName = 'baseline';
  if (!parts[0]!.includes('=')) {
    const first = parts.shift()!;
    if (!(PRESETS as readonly string[]).includes(first)) throw new UsageError('TARGET_INVALID', `${option} "${spec}": unknown target "${first}"; ${hint}`);
    preset = first as PresetName;
  }
  const flags: Record<string, boolean> = {};
  let burnUs = 0;
  for (const part of parts) {
    let parsed: ReturnType<typeof parseFlagArgument>;
    try {
      parsed = parseFlagArgument(part);
    } catch (error) {
      if (error instanceof FlagError) throw new UsageError('TARGET_INVALID', `${option} "${spec}": ${error.message.replace(/^--flag /, '')}`);
      throw error;
    }
    for (const [name, value] of Object.entries(parsed)) {
      // burn (regression injection) is a number of microseconds; every other flag is on/off.
      if (typeof value === 'number') burnUs = value;
      else flags[name] = value;
    }
  }
  return {
    kind: 'proxy',
    name: slug(text),
    preset,
    flags: dropNoOps(preset, flags),
    ...sharedConfig(scenario),
    ...(burnUs > 0 ? { burn_us: burnUs } : {}),
  };
}

/** Flags equal to the preset's own value change nothing; leaving them out keeps names and notes honest. */
function dropNoOps(preset: PresetName, flags: Record<string, boolean>): Record<string, boolean> {
  const presetValue = preset === 'optimized';
  return Object.fromEntries(Object.entries(flags).filter(([, on]) => on !== presetValue));
}

/**
 * A preset or flag set built here runs with the proxy config the scenario's own proxy targets use
 * (e.g. many-routes.yaml's route table), when they all use the same one; otherwise with none.
 */
function sharedConfig(scenario: Scenario): { config?: string } {
  const configs = new Set(scenario.targets.filter((t): t is ProxyTarget => t.kind === 'proxy').map((t) => t.config));
  const [only] = [...configs];
  return configs.size === 1 && only !== undefined ? { config: only } : {};
}

/** A file- and label-safe name: "optimized,pooling=off" → "optimized-pooling-off". */
export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9_.+-]+/g, '-').replace(/^-+|-+$/g, '') || 'target';
}

/** Optimization flags (burn_us is regression injection, not an optimization). */
export const OPTIMIZATION_FLAGS: readonly string[] = FLAG_NAMES;

export function parseFlagList(text: string | undefined): string[] {
  if (text === undefined) return [...OPTIMIZATION_FLAGS];
  const names = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw new UsageError('FLAG_INVALID', `--flags "${text}": give at least one flag (known: ${OPTIMIZATION_FLAGS.join(', ')})`);
  for (const name of names) {
    if (!OPTIMIZATION_FLAGS.includes(name)) {
      throw new UsageError('FLAG_INVALID', `--flags "${text}": unknown flag "${name}" (known: ${OPTIMIZATION_FLAGS.join(', ')})`);
    }
  }
  return [...new Set(names)];
}

/** A proxy target with its own name; compare gives A and B distinct names even when the specs are equal. */
export function renamed(target: Target, name: string): Target {
  return { ...target, name };
}
