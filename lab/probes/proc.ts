// Process probes from /proc, for targets without an admin API (nginx): CPU time and peak RSS of
// the process and all its descendants (nginx's workers do the work, the master idles).
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

interface Stat {
  pid: number;
  ppid: number;
  /** utime + stime, clock ticks */
  ticks: number;
}

function readStat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm (field 2) may hold spaces and parentheses: split after the last ')'.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // rest[0] is field 3 (state); ppid is field 4, utime 14, stime 15
    return { pid, ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) };
  } catch {
    return undefined;
  }
}

/** The pid and every descendant alive now. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(stat.pid);
    children.set(stat.ppid, list);
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

function statusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export interface TreeSample {
  cpu_us: number;
  /** sum over the tree of each process's peak RSS (VmHWM) */
  peak_rss_bytes: number;
  rss_bytes: number;
  pids: number[];
}

export function sampleTree(root: number): TreeSample {
  const pids = processTree(root);
  let ticks = 0;
  let hwm = 0;
  let rss = 0;
  for (const pid of pids) {
    ticks += readStat(pid)?.ticks ?? 0;
    hwm += statusKb(pid, 'VmHWM');
    rss += statusKb(pid, 'VmRSS');
  }
  return { cpu_us: Math.round((ticks / ticksPerSecond()) * 1e6), peak_rss_bytes: hwm * 1024, rss_bytes: rss * 1024, pids };
}
