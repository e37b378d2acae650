// `proxylab profile`: run one proxy target of a scenario under clinic (doctor, flame or
// heapprofiler) with the scenario's own origin and load, then stop it the way clinic expects
// (Ctrl-C: SIGINT to its process group), wait for clinic to write its HTML into
// reports/<run-id>/profile/, and return that path.
//
// The origin, the wrapped target and teardown come from lab/topology (the clinic-wrapped proxy is
// started as an "external" target so every exit path of the lab still stops it), the load from
// lab/load, the scenario from lab/scenario.
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { RunFailedError, UsageError } from '../errors.js';
import { expandMix, startLoad } from '../load/index.js';
import { environment, runId } from '../run/env.js';
import { loadScenario, type ExternalTarget, type ProxyTarget } from '../scenario/load.js';
import { freePort } from '../topology/ports.js';
import { CLI_PATH, Topology } from '../topology/topology.js';

export const PROFILE_TOOLS = ['doctor', 'flame', 'heapprofiler'] as const;
export type ProfileTool = (typeof PROFILE_TOOLS)[number];

/** Tools clinic has that are not offered, and why. */
const REFUSED: Record<string, string> = {
  bubbleprof: 'clinic bubbleprof hangs on this machine and never writes its report, so it is not offered',
};

export interface ProfileOptions {
  scenario: string;
  target?: string;
  tool: string;
  /** seconds of load; default: the scenario's warm-up plus all its rounds */
  duration?: number;
  out?: string;
  /** how long clinic may take to analyse and write the HTML after the target stopped, ms */
  analyseTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface ProfileOutcome {
  html: string;
  dir: string;
  tool: ProfileTool;
  target: string;
  duration_s: number;
  requests: number;
}

export function checkTool(tool: string): ProfileTool {
  if (REFUSED[tool]) throw new UsageError('PROFILE_TOOL', `--tool ${tool}: ${REFUSED[tool]} (use ${PROFILE_TOOLS.join(', ')})`);
  if (!(PROFILE_TOOLS as readonly string[]).includes(tool)) throw new UsageError('PROFILE_TOOL', `--tool ${tool}: unknown tool (use ${PROFILE_TOOLS.join(', ')})`);
  return tool as ProfileTool;
}

function clinicBin(): string {
  try {
    return createRequire(import.meta.url).resolve('clinic/bin.js');
  } catch {
    throw new RunFailedError('CLINIC_MISSING', 'the clinic package is not installed (npm install)');
  }
}

export async function runProfile(opts: ProfileOptions): Promise<ProfileOutcome> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const tool = checkTool(opts.tool);
  if (opts.duration !== undefined && !(opts.duration > 0)) throw new UsageError('PROFILE_DURATION', `--duration ${opts.duration}: must be a positive number of seconds`);
  const scenario = loadScenario(opts.scenario);
  const proxies = scenario.targets.filter((t): t is ProxyTarget => t.kind === 'proxy');
  const wanted = opts.target ?? (proxies.some((t) => t.name === 'optimized') ? 'optimized' : proxies[0]?.name);
  const target = scenario.targets.find((t) => t.name === wanted);
  if (!target || target.kind !== 'proxy') {
    const why = !wanted ? 'the scenario has no proxy target' : !target ? `no target named "${wanted}"` : `"${wanted}" is an external target; only proxylab proxy targets can be profiled`;
    throw new UsageError('PROFILE_TARGET', `${scenario.file}: --target ${wanted ?? ''}: ${why} (proxy targets: ${proxies.map((t) => t.name).join(', ') || 'none'})`);
  }
  const bin = clinicBin();
  const duration_s = opts.duration ?? scenario.load.warmup_s + scenario.rounds * scenario.load.duration_s;

  const id = runId(new Date(), environment().git_commit);
  const dir = resolve(opts.out ?? join('reports', id), 'profile');
  // clinic asks to send usage statistics, and without an answer exits silently: NO_INSIGHT opts out.
  process.env['NO_INSIGHT'] = '1';

  const topology = new Topology(scenario, dir);
  try {
    log(`proxylab profile ${id}: ${scenario.name} / ${target.name} under clinic ${tool}, ${duration_s} s of load → ${dir}`);
    const originPort = await topology.startOrigin();
    const adminPort = await freePort();
    const stopFile = join(dir, 'stop');
    const stopWith = tool === 'heapprofiler' ? waitForFile(dir, stopFile, duration_s) : [];
    // The same command line lab/topology gives a proxy target, behind `clinic <tool> --`.
    const wrapped: ExternalTarget = {
      kind: 'external',
      name: `${target.name}-${tool}`,
      command: process.execPath,
      args: [
        bin, tool, '--dest', dir, '--open=false', ...stopWith, '--',
        process.execPath, CLI_PATH, 'proxy', '--upstream', `http://127.0.0.1:${originPort}`, '--listen', '127.0.0.1:{{PORT}}',
        '--admin-listen', `127.0.0.1:${adminPort}`, '--handler', target.preset,
        ...Object.entries(target.flags).flatMap(([name, on]) => ['--flag', `${name}=${on ? 'on' : 'off'}`]),
        ...(target.config ? ['--config', '{{CONFIG}}'] : []),
      ],
      ...(target.config ? { config: target.config } : {}),
      ready: { tcp: true, timeout_s: 60 },
    };
    const endpoint = await topology.startTarget(wrapped);
    const proc = endpoint.proc!;

    log(`${target.name}: ready (pid ${proc.pid}); load ${scenario.load.driver}, ${scenario.load.connections} connections, ${duration_s} s`);
    const load = startLoad(scenario.load.driver, {
      port: endpoint.port,
      requests: expandMix(scenario.requests),
      connections: scenario.load.connections,
      pipelining: scenario.load.pipelining,
      duration_s,
      timeout_s: scenario.load.timeout_s,
      ...(scenario.load.rate === undefined ? {} : { rate: scenario.load.rate }),
    });
    let requests: number;
    try {
      requests = (await Promise.race([load.done, topology.failed])).requests;
    } catch (error) {
      load.stop();
      await load.done.catch(() => {});
      throw error;
    }

    log(`${target.name}: ${requests.toLocaleString('en-US')} requests; stopping, clinic ${tool} is analysing…`);
    proc.stopping = true;
    if (tool === 'heapprofiler') {
      // The heap profile is written after sampling stops, and the proxy's own SIGINT handler
      // would exit before that: stop through clinic's --on-port hook instead, which tells the
      // profiler over its IPC socket; the profiler writes the file and ends the process.
      writeFileSync(stopFile, 'stop\n');
    } else {
      // Ctrl-C, as clinic expects it: SIGINT to the group (clinic and the proxy). The proxy shuts
      // down gracefully and exits; clinic then analyses, writes the HTML and exits itself.
      try {
        process.kill(-proc.pid, 'SIGINT');
      } catch {
        // already gone: reported below from its exit status
      }
    }
    const timeoutMs = opts.analyseTimeoutMs ?? 180_000;
    const timer = new Promise<'timeout'>((r) => setTimeout(r, timeoutMs, 'timeout').unref());
    const exit = await Promise.race([proc.exited, timer]);
    if (exit === 'timeout') {
      throw new RunFailedError('PROFILE_TIMEOUT', `clinic ${tool} did not finish within ${timeoutMs / 1000} s after the target stopped; log ${proc.logFile}:\n${proc.logTail()}`);
    }
    const html = readdirSync(dir)
      .filter((f) => f.endsWith(`.clinic-${tool}.html`))
      .map((f) => join(dir, f))
      .filter((f) => statSync(f).size > 0)
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
    if (exit.code !== 0 || !html) {
      throw new RunFailedError(
        'PROFILE_FAILED',
        `clinic ${tool} ${exit.code !== 0 ? `exited with ${exit.signal ?? `code ${exit.code}`}` : 'wrote no HTML report'}; log ${proc.logFile}:\n${proc.logTail()}`,
      );
    }
    return { html, dir, tool, target: target.name, duration_s, requests };
  } finally {
    await topology.stop();
  }
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * clinic's --on-port runs a command once the target listens and stops the profiler when that
 * command exits. This one exits when `stopFile` appears (or, as a safety net, long after the load).
 */
function waitForFile(dir: string, stopFile: string, duration_s: number): string[] {
  const script = join(dir, 'wait-for-stop.cjs');
  const limitMs = Math.round((duration_s + 600) * 1000);
  writeFileSync(
    script,
    `// written by proxylab profile: clinic --on-port waits for this to exit\n` +
      `const fs = require('node:fs');\nconst t0 = Date.now();\n` +
      `const timer = setInterval(() => { if (fs.existsSync(${JSON.stringify(stopFile)}) || Date.now() - t0 > ${limitMs}) clearInterval(timer); }, 100);\n`,
  );
  return ['--on-port', `${shellQuote(process.execPath)} ${shellQuote(script)}`];
}
