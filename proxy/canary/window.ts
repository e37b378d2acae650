// A sliding window of one variant's requests: one slot per second (count, 5xx count and an HDR
// latency histogram), the oldest dropped as time moves on. The guard reads it once a second.
import * as hdr from 'hdr-histogram-js';

const HIGHEST_US = 60_000_000;

function histogram(): hdr.Histogram {
  // Two significant digits (±1 %) is plenty for a p99 to compare, and keeps each slot small.
  return hdr.build({ bitBucketSize: 32, lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_US, numberOfSignificantValueDigits: 2, useWebAssembly: false });
}

interface Slot {
  count: number;
  errors: number;
  latency: hdr.Histogram;
}

export interface WindowSummary {
  requests: number;
  errors: number;
  /** 0 when there are no requests */
  p99_us: number;
}

export class SlidingWindow {
  private readonly slots: Slot[];
  private current = 0;

  constructor(readonly seconds: number) {
    this.slots = Array.from({ length: seconds }, () => ({ count: 0, errors: 0, latency: histogram() }));
  }

  record(durationMs: number, error: boolean): void {
    const slot = this.slots[this.current]!;
    slot.count++;
    if (error) slot.errors++;
    slot.latency.recordValue(Math.min(HIGHEST_US, Math.max(1, Math.round(durationMs * 1000))));
  }

  /** Move to the next second, forgetting the oldest. */
  advance(): void {
    this.current = (this.current + 1) % this.slots.length;
    this.clearSlot(this.slots[this.current]!);
  }

  clear(): void {
    for (const slot of this.slots) this.clearSlot(slot);
  }

  summary(): WindowSummary {
    let requests = 0;
    let errors = 0;
    const merged = histogram();
    for (const slot of this.slots) {
      if (slot.count === 0) continue;
      requests += slot.count;
      errors += slot.errors;
      merged.add(slot.latency);
    }
    return { requests, errors, p99_us: requests === 0 ? 0 : merged.getValueAtPercentile(99) };
  }

  private clearSlot(slot: Slot): void {
    slot.count = 0;
    slot.errors = 0;
    slot.latency.reset();
  }
}
