// `proxylab profile`: one proxy target of a scenario under clinic, with the scenario's load.
import { Command, InvalidArgumentError } from 'commander';

const positive = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('--duration must be a positive number of seconds');
  return n;
};

export function registerProfile(program: Command): void {
  program
    .command('profile')
    .description("profile a proxy target under clinic (doctor, flame or heapprofiler) with a scenario's load; write the HTML to reports/<run-id>/profile/")
    .requiredOption('-s, --scenario <file>', 'the scenario whose origin, target and load to use')
    .option('--target <name>', 'which of its proxy targets (default optimized)')
    .option('--tool <tool>', 'doctor | flame | heapprofiler (bubbleprof hangs on this machine and is not offered)', 'doctor')
    .option('--duration <s>', "seconds of load (default the scenario's warm-up plus all its rounds)", positive)
    .option('-o, --out <dir>', 'run folder (default reports/<run-id>); the profile goes to <dir>/profile/')
    .addHelpText('after', '\nPrints the path of the HTML report on stdout.\nExit codes: 0 done, 2 invalid scenario, target or tool, 3 the target or clinic failed.')
    .action(async (opts: { scenario: string; target?: string; tool: string; duration?: number; out?: string }) => {
      const { runProfile } = await import('../profile/index.js');
      const outcome = await runProfile(opts);
      process.stdout.write(`${outcome.html}\n`);
    });
}
