// One child process of the lab: spawned in its own process group (so workers it forks, such as
// nginx's, die with it), output kept in a log file, and registered so that every exit path of the
// lab — success, error, a signal, `process.exit` — stops it.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, existsSync, writeSync, statSync, readSync } from 'node:fs';

// Started and not yet stopped: a crashed leader stays here until its group has been killed.
const live = new Set<ManagedProcess>();
let hooksInstalled = false;

export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  logFile: string;
  /** taskset CPU list, e.g. "1" or "0-1" */
  cpus?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class ManagedProcess {
  readonly name: string;
  readonly logFile: string;
  readonly child: ChildProcess;
  readonly pid: number;
  readonly commandLine: string;
  /** Set once the process has exited; `stopping` tells an expected exit from a crash. */
  exit: ExitInfo | undefined;
  stopping = false;
  readonly exited: Promise<ExitInfo>;

  constructor(opts: SpawnOptions) {
    installExitHooks();
    this.name = opts.name;
    this.logFile = opts.logFile;
    const [command, args] = opts.cpus ? ['taskset', ['-c', opts.cpus, opts.command, ...opts.args]] : [opts.command, opts.args];
    this.commandLine = [command, ...args].join(' ');
    const fd = openSync(opts.logFile, 'a');
    try {
      this.child = spawn(command, args, {
        detached: true,
        stdio: ['ignore', fd, fd],
        env: opts.env ?? process.env,
        cwd: opts.cwd,
      });
    } finally {
      closeSync(fd);
    }
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
      // spawn failures (ENOENT) come as 'error' with no 'exit'
      this.child.once('error', (error) => {
        this.exit ??= { code: -1, signal: null };
        appendNote(opts.logFile, `spawn failed: ${error.message}`);
        resolve(this.exit);
      });
    });
    if (this.child.pid === undefined) {
      this.pid = -1;
    } else {
      this.pid = this.child.pid;
      live.add(this);
    }
  }

  get alive(): boolean {
    return this.exit === undefined && this.pid > 0;
  }

  /** SIGTERM the whole process group, then SIGKILL it if it has not exited within graceMs. */
  async stop(graceMs = 3000): Promise<void> {
    this.stopping = true;
    if (this.pid <= 0) return;
    if (!this.alive) {
      // The leader is gone (it crashed) but what it forked may live on in its group.
      signalGroup(this.pid, 'SIGKILL');
      live.delete(this);
      return;
    }
    signalGroup(this.pid, 'SIGTERM');
    const timer = new Promise<'timeout'>((resolve) => setTimeout(resolve, graceMs, 'timeout').unref());
    if ((await Promise.race([this.exited, timer])) === 'timeout') {
      signalGroup(this.pid, 'SIGKILL');
      await this.exited;
    }
    // Workers outliving their leader (e.g. an nginx master killed first) share its group id.
    signalGroup(this.pid, 'SIGKILL');
    live.delete(this);
  }

  logTail(lines = 20): string {
    return logTail(this.logFile, lines);
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone
  }
}

function appendNote(file: string, note: string): void {
  try {
    const fd = openSync(file, 'a');
    try {
      writeSync(fd, `[proxylab] ${note}\n`);
    } finally {
      closeSync(fd);
    }
  } catch {
    // the note is best effort
  }
}

/**
 * The last lines of a log that explain a failure. A proxy's access log (pino info lines) goes to
 * the same file and would bury the error, so those lines are left out of the tail.
 */
export function logTail(file: string, lines = 20): string {
  if (!existsSync(file)) return '(no log)';
  const size = statSync(file).size;
  const fd = openSync(file, 'r');
  const buffer = Buffer.alloc(Math.min(size, 512 * 1024));
  try {
    readSync(fd, buffer, 0, buffer.length, size - buffer.length);
  } finally {
    closeSync(fd);
  }
  const all = buffer.toString('utf8').trimEnd().split('\n');
  if (size > buffer.length) all.shift(); // a partial first line
  const access = /^\{"level":30,/;
  const kept = all.filter((line) => !access.test(line));
  const skipped = all.length - kept.length;
  const tail = kept.slice(-lines).join('\n') || '(no lines besides access-log entries)';
  return skipped > 0 ? `${tail}\n(${skipped} access-log lines left out)` : tail || '(empty log)';
}

/** Every process the lab started and has not stopped yet. */
export function liveProcesses(): ManagedProcess[] {
  return [...live];
}

export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((p) => p.stop()));
}

/** Last-resort cleanup: synchronous, so it also runs from process.on('exit'). */
function killAllNow(): void {
  for (const p of live) {
    p.stopping = true;
    signalGroup(p.pid, 'SIGKILL');
  }
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\nproxylab: ${signal}, stopping ${live.size} process(es)\n`);
      const hardStop = setTimeout(() => {
        killAllNow();
        process.exit(130);
      }, 4000);
      hardStop.unref();
      void stopAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }
}
