// `proxylab proxy`: start the reference proxy (see proxy/main.ts).
import type { Command } from 'commander';
import { collect } from './args.js';


export function registerProxy(program: Command): void {
  program
    .command('proxy')
    .description('start the reference proxy (quick start: --upstream URL; or --config FILE)')
    .option('-c, --config <file>', 'YAML configuration file (env PROXYLAB_CONFIG)')
    .option('-u, --upstream <url>', 'quick start: forward everything to this origin')
    .option('-l, --listen <host:port>', 'data-plane listen address (env PROXYLAB_LISTEN; default 127.0.0.1:8080)')
    .option('--admin-listen <host:port>', 'admin listen address (env PROXYLAB_ADMIN_LISTEN; default 127.0.0.1:9901)')
    .option('--handler <preset>', 'flag preset: baseline | optimized (env PROXYLAB_HANDLER; default optimized)')
    .option('--flag <name=on|off>', 'set one optimization flag, repeatable (e.g. --flag pooling=off, --flag burn=50us)', collect)
    .option('--canary <preset>', 'live canary: serve a second variant from this preset (baseline | optimized) in the same process')
    .option('--canary-flag <name=on|off>', 'set one flag of the canary variant, repeatable (e.g. --canary-flag burn=2000us)', collect)
    .option('--canary-weight <percent>', 'percent of requests sent to the canary, 0-100 (default 0; change it live with PUT /canary)')
    .option('--no-watch', 'do not reload when the configuration file changes')
    .option('--schema', 'print the configuration JSON Schema and exit (committed as proxy/config/proxylab.schema.json)')
    .addHelpText(
      'after',
      '\nFlags: pooling, streaming, precompiled_rules, snapshot_config, async_logging, raw_headers; burn=<N>us injects CPU cost.\nExit codes: 0 stopped cleanly, 2 configuration error.',
    )
    .action(async (options) => {
      if (options.schema) {
        const { configJsonSchema } = await import('../../proxy/config/json-schema.js');
        process.stdout.write(configJsonSchema());
        return;
      }
      const { runProxy } = await import('../../proxy/main.js');
      await runProxy(options);
    });
}
