// Pin the lab process itself (the load driver) with taskset for one scenario, and restore the
// previous affinity afterwards so the next scenario starts from the machine's default.
import { execFileSync } from 'node:child_process';
import { UsageError } from '../errors.js';

function currentList(): string {
  const out = execFileSync('taskset', ['-pc', String(process.pid)], { encoding: 'utf8' });
  return out.slice(out.lastIndexOf(':') + 1).trim();
}

export function pinSelf(cpus: string): () => void {
  let previous: string;
  try {
    previous = currentList();
    execFileSync('taskset', ['-apc', cpus, String(process.pid)], { stdio: 'ignore' });
  } catch (error) {
    throw new UsageError('CPU_PIN_FAILED', `cpu.driver: cannot pin the lab to CPUs "${cpus}" with taskset: ${(error as Error).message}`);
  }
  return () => {
    try {
      execFileSync('taskset', ['-apc', previous, String(process.pid)], { stdio: 'ignore' });
    } catch {
      // best effort: the process is about to move on or exit
    }
  };
}
