// The processes of one scenario: the origin and each target, on free loopback ports, with their
// output in the run folder. `failed` rejects as soon as any of them exits while it should be up.
import { dirname, join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { RunFailedError } from '../errors.js';
import { REPO_ROOT, type Scenario, type Target } from '../scenario/load.js';
import { READY_PATH } from '../origin/server.js';
import { ManagedProcess } from './process.js';
import { freePort } from './ports.js';
import { waitReady, describeExit } from './ready.js';
import { templateFile, renderTemplate } from './template.js';

export const CLI_PATH = join(REPO_ROOT, 'dist/lab/cli.js');
export const ORIGIN_MAIN = join(REPO_ROOT, 'dist/lab/origin/main.js');

export interface Endpoint {
  name: string;
  kind: 'direct' | 'proxy' | 'external';
  /** data-plane port the load goes to */
  port: number;
  adminPort?: number;
  proc?: ManagedProcess;
  command?: string;
}

export class Topology {
  private readonly procs: ManagedProcess[] = [];
  private originPort = 0;
  private rejectFailed!: (error: Error) => void;
  /** Rejects with RunFailedError when a started process dies unexpectedly; never resolves. */
  readonly failed: Promise<never>;

  constructor(
    private readonly scenario: Scenario,
    readonly dir: string,
  ) {
    mkdirSync(dir, { recursive: true });
    this.failed = new Promise<never>((_resolve, reject) => {
      this.rejectFailed = reject;
    });
    this.failed.catch(() => {}); // observed through races; never unhandled
  }

  get origin(): number {
    return this.originPort;
  }

  private track(proc: ManagedProcess): ManagedProcess {
    this.procs.push(proc);
    void proc.exited.then(() => {
      if (!proc.stopping) {
        this.rejectFailed(
          new RunFailedError('TARGET_DIED', `${proc.name} died during the run (${describeExit(proc)}); log ${proc.logFile}:\n${proc.logTail()}`),
        );
      }
    });
    return proc;
  }

  async startOrigin(): Promise<number> {
    const o = this.scenario.origin;
    const port = await freePort();
    const status = o.status.map((s) => `${s.status}:${s.weight}`).join(',');
    const proc = this.track(
      new ManagedProcess({
        name: 'origin',
        command: process.execPath,
        args: [ORIGIN_MAIN, '--listen', `127.0.0.1:${port}`, '--size', String(o.size), '--latency-us', String(o.latency_us),
          '--chunk-size', String(o.chunk_size), '--status', status, ...(o.chunked ? ['--chunked'] : [])],
        logFile: join(this.dir, 'origin.log'),
        ...(this.scenario.cpu.origin ? { cpus: this.scenario.cpu.origin } : {}),
      }),
    );
    await waitReady(proc, { http: { port, path: READY_PATH } }, 10_000);
    this.originPort = port;
    return port;
  }

  direct(): Endpoint {
    return { name: 'direct', kind: 'direct', port: this.originPort };
  }

  async startTarget(target: Target): Promise<Endpoint> {
    const port = await freePort();
    const cpus = this.scenario.cpu.targets;
    const vars = { PORT: port, ORIGIN_PORT: this.originPort, DIR: this.dir, TARGET: target.name, SCENARIO_DIR: dirname(this.scenario.file) };
    if (target.kind === 'proxy') {
      const adminPort = await freePort();
      const args = [CLI_PATH, 'proxy', '--upstream', `http://127.0.0.1:${this.originPort}`, '--listen', `127.0.0.1:${port}`,
        '--admin-listen', `127.0.0.1:${adminPort}`, '--handler', target.preset,
        ...Object.entries(target.flags).flatMap(([name, on]) => ['--flag', `${name}=${on ? 'on' : 'off'}`]),
        ...(target.burn_us ? ['--flag', `burn=${target.burn_us}us`] : [])];
      if (target.config) args.push('--config', templateFile(target.config, this.dir, target.name, { ...vars, ADMIN_PORT: adminPort }));
      const proc = this.track(
        new ManagedProcess({
          name: target.name,
          command: process.execPath,
          args,
          logFile: join(this.dir, `${target.name}.log`),
          env: { ...process.env, ORIGIN_PORT: String(this.originPort), PORT: String(port), ADMIN_PORT: String(adminPort) },
          ...(cpus ? { cpus } : {}),
        }),
      );
      await waitReady(proc, { http: { port: adminPort, path: '/ready' } }, 20_000);
      return { name: target.name, kind: 'proxy', port, adminPort, proc, command: proc.commandLine };
    }
    const config = target.config ? templateFile(target.config, this.dir, target.name, vars) : '';
    const fill = (s: string): string => renderTemplate(s, { ...vars, CONFIG: config }, `${target.name} args`);
    const proc = this.track(
      new ManagedProcess({
        name: target.name,
        command: target.command,
        args: target.args.map(fill),
        logFile: join(this.dir, `${target.name}.log`),
        cwd: this.dir,
        ...(cpus ? { cpus } : {}),
      }),
    );
    const check = target.ready.http ? { http: { port, path: target.ready.http } } : { tcp: { port } };
    await waitReady(proc, check, target.ready.timeout_s * 1000);
    return { name: target.name, kind: 'external', port, proc, command: proc.commandLine };
  }

  /** Stop everything this topology started, in reverse order (targets before the origin). */
  async stop(): Promise<void> {
    await Promise.all([...this.procs].reverse().map((p) => p.stop()));
  }

  pids(): number[] {
    return this.procs.map((p) => p.pid);
  }
}

export function assertAlive(endpoint: Endpoint): void {
  if (endpoint.proc && !endpoint.proc.alive) {
    throw new RunFailedError('TARGET_DIED', `${endpoint.name} is not running (${describeExit(endpoint.proc)})`);
  }
}
