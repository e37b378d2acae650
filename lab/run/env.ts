// Where a result came from: commit, Node, CPU, cores, OS.
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import type { Environment } from '../result/schema.js';
import { REPO_ROOT } from '../scenario/load.js';

function git(args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

export function environment(): Environment {
  const cpus = os.cpus();
  return {
    git_commit: git(['rev-parse', 'HEAD']) ?? 'unknown',
    git_dirty: (git(['status', '--porcelain']) ?? '') !== '',
    node: process.version,
    cpu_model: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

export function runId(now = new Date(), commit = 'unknown'): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').replace('T', '-');
  return `${stamp}-${commit.slice(0, 7)}`;
}
