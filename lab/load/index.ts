// Pick the driver a scenario asks for.
import { runAutocannon } from './autocannon.js';
import { runOpenLoop } from './open-loop.js';
import type { LoadOptions, LoadRun } from './types.js';

export function startLoad(driver: 'autocannon' | 'open-loop', opts: LoadOptions): LoadRun {
  return driver === 'open-loop' ? runOpenLoop(opts) : runAutocannon(opts);
}

export type { LoadOptions, LoadResult, LoadRun, LoadRequest } from './types.js';
export { expandMix } from './mix.js';
