// The load driver runs in the lab process: its CPU over a round tells whether the driver, not the
// target, was the limit (one JS thread cannot use more than one core).
export const SATURATED_PCT = 90;

export function cpuMeter(): () => number {
  const start = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  return () => {
    const used = process.cpuUsage(start);
    const wallUs = Number(process.hrtime.bigint() - t0) / 1000;
    return wallUs > 0 ? Math.round(((used.user + used.system) / wallUs) * 1000) / 10 : 0;
  };
}
