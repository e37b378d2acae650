import { describe, expect, it } from 'vitest';
import { parseBudget, budgetHolds } from '../../lab/scenario/budget.js';

describe('budget expressions', () => {
  it('parses the documented forms with units', () => {
    expect(parseBudget('p99 < 5ms')).toMatchObject({ name: 'p99', subject: { kind: 'metric', key: 'p99_us' }, op: '<', limit: 5000 });
    expect(parseBudget('rps > 20000')).toMatchObject({ subject: { key: 'rps' }, op: '>', limit: 20000 });
    expect(parseBudget('errors == 0')).toMatchObject({ subject: { key: 'errors' }, op: '==', limit: 0 });
    expect(parseBudget('allocPerRequest < 4KiB')).toMatchObject({ subject: { key: 'alloc_bytes_per_req' }, limit: 4096 });
    expect(parseBudget('overhead.p99 < 1.5x')).toMatchObject({ subject: { kind: 'overhead', key: 'p99' }, limit: 1.5 });
    expect(parseBudget('cpu_us_per_req <= 80us')).toMatchObject({ subject: { key: 'cpu_us_per_req' }, op: '<=', limit: 80 });
    expect(parseBudget('p50 < 0.5s').limit).toBe(500_000);
  });

  it('rejects unknown metrics, units that do not fit and bad syntax', () => {
    expect(() => parseBudget('p98 < 5ms')).toThrow(/unknown metric "p98"/);
    expect(() => parseBudget('rps > 5ms')).toThrow(/unit "ms" does not fit rps/);
    expect(() => parseBudget('overhead.max < 2x')).toThrow(/unknown overhead metric/);
    expect(() => parseBudget('p99 ≈ 5ms')).toThrow(/expected "<metric> <op> <value>\[unit\]"/);
  });

  it('evaluates each operator', () => {
    expect(budgetHolds('<', 4, 5)).toBe(true);
    expect(budgetHolds('<', 5, 5)).toBe(false);
    expect(budgetHolds('<=', 5, 5)).toBe(true);
    expect(budgetHolds('>', 5, 5)).toBe(false);
    expect(budgetHolds('>=', 5, 5)).toBe(true);
    expect(budgetHolds('==', 0, 0)).toBe(true);
    expect(budgetHolds('==', 1, 0)).toBe(false);
  });
});
