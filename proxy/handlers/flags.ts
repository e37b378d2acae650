// One flag per optimization, so the lab can switch one at a time. `baseline` is the first
// implementation a team would write (all off); `optimized` is where measurement led (all on).
// burn_us is regression injection for calibrating the gate and is never part of a preset.
import { FLAG_NAMES, type FlagName } from '../config/schema.js';

export { FLAG_NAMES, type FlagName };

export type HandlerFlags = Record<FlagName, boolean> & { burn_us: number };
export type PresetName = 'baseline' | 'optimized';

export const PRESETS: Record<PresetName, HandlerFlags> = {
  baseline: { ...allFlags(false), burn_us: 0 },
  optimized: { ...allFlags(true), burn_us: 0 },
};

function allFlags(value: boolean): Record<FlagName, boolean> {
  return Object.fromEntries(FLAG_NAMES.map((name) => [name, value])) as Record<FlagName, boolean>;
}

export function resolveFlags(preset: PresetName, overrides: Partial<HandlerFlags> = {}): HandlerFlags {
  const flags = { ...PRESETS[preset] };
  for (const [name, value] of Object.entries(overrides)) {
    if (value !== undefined) (flags as Record<string, boolean | number>)[name] = value;
  }
  return Object.freeze(flags);
}

export class FlagError extends Error {
  readonly code = 'FLAG_INVALID';
}

/** Parse `--flag NAME=on|off` (and `burn=50us` / `burn_us=50`). */
export function parseFlagArgument(text: string): Partial<HandlerFlags> {
  const match = /^([a-z_]+)=(.+)$/.exec(text.trim());
  if (!match) throw new FlagError(`--flag ${text}: expected NAME=on|off`);
  const [, name, value] = match as unknown as [string, string, string];
  if (name === 'burn' || name === 'burn_us') {
    const us = /^(\d+)(us|µs)?$/.exec(value);
    if (!us) throw new FlagError(`--flag ${text}: burn takes microseconds, e.g. burn=50us`);
    return { burn_us: Number(us[1]) };
  }
  if (!(FLAG_NAMES as readonly string[]).includes(name)) {
    throw new FlagError(`--flag ${text}: unknown flag "${name}" (known: ${FLAG_NAMES.join(', ')}, burn)`);
  }
  const on = ['on', 'true', '1', 'yes'].includes(value);
  const off = ['off', 'false', '0', 'no'].includes(value);
  if (!on && !off) throw new FlagError(`--flag ${text}: value must be on or off`);
  return { [name]: on } as Partial<HandlerFlags>;
}

export function describeFlags(flags: HandlerFlags): string {
  const on = FLAG_NAMES.filter((name) => flags[name]);
  if (on.length === FLAG_NAMES.length && !flags.burn_us) return 'optimized';
  if (on.length === 0 && !flags.burn_us) return 'baseline';
  return `${on.join('+') || 'none'}${flags.burn_us ? `+burn${flags.burn_us}us` : ''}`;
}
