// `proxylab proxy`: resolve the configuration from a file or the quick-start flags, apply
// environment and command-line overrides, start, and stop gracefully on SIGTERM/SIGINT.
import { ConfigError } from './errors.js';
import { loadConfigFile, resolveConfig, type ResolvedConfig } from './config/load.js';
import { parseFlagArgument, resolveFlags, describeFlags, FlagError, type HandlerFlags, type PresetName } from './handlers/flags.js';
import { startProxy, type RunningProxy } from './server.js';

export interface ProxyCliOptions {
  config?: string;
  upstream?: string;
  listen?: string;
  adminListen?: string;
  handler?: string;
  flag?: string[];
  watch?: boolean;
}

const SOURCE = 'command line';

/** Precedence: command line, then PROXYLAB_* environment, then the file, then defaults. */
export function resolveProxyOptions(cli: ProxyCliOptions, env: NodeJS.ProcessEnv = process.env) {
  const file = cli.config ?? env['PROXYLAB_CONFIG'];
  const listen = cli.listen ?? env['PROXYLAB_LISTEN'];
  const adminListen = cli.adminListen ?? env['PROXYLAB_ADMIN_LISTEN'];
  const handler = cli.handler ?? env['PROXYLAB_HANDLER'];
  if (handler !== undefined && handler !== 'baseline' && handler !== 'optimized') {
    throw new ConfigError(cli.handler ? SOURCE : 'environment', cli.handler ? '--handler' : 'PROXYLAB_HANDLER', handler, 'must be baseline or optimized');
  }
  if (!file && !cli.upstream) {
    throw new ConfigError(SOURCE, '--upstream', undefined, 'give --upstream URL or --config FILE');
  }

  const overrides = (config: ResolvedConfig): ResolvedConfig => {
    const next = { ...config };
    if (listen) next.listen = listen;
    if (adminListen) next.admin = { listen: adminListen };
    return resolveConfig(next, file ?? SOURCE);
  };

  const base: ResolvedConfig = file
    ? loadConfigFile(file, env)
    : resolveConfig(
        {
          upstreams: [{ name: 'default', targets: [{ url: cli.upstream }] }],
          routes: [{ name: 'default', upstream: 'default' }],
        },
        SOURCE,
      );
  const config = overrides(base);

  let flagOverrides: Partial<HandlerFlags> = { ...config.flags };
  for (const text of cli.flag ?? []) {
    try {
      flagOverrides = { ...flagOverrides, ...parseFlagArgument(text) };
    } catch (error) {
      if (error instanceof FlagError) throw new ConfigError(SOURCE, '--flag', text, error.message);
      throw error;
    }
  }
  const preset = (handler ?? config.handler ?? 'optimized') as PresetName;
  const flags = resolveFlags(preset, flagOverrides);
  return { config, file, overrides, flags, variantName: describeFlags(flags) };
}

export async function runProxy(cli: ProxyCliOptions): Promise<RunningProxy> {
  const resolved = resolveProxyOptions(cli);
  const proxy = await startProxy({
    config: resolved.config,
    ...(resolved.file !== undefined && { file: resolved.file }),
    overrides: resolved.overrides,
    variant: { name: resolved.variantName, flags: resolved.flags },
    watch: cli.watch !== false,
  });
  process.stderr.write(
    `proxylab proxy: listening on ${proxy.url} (admin ${proxy.adminUrl}), variant ${resolved.variantName}, config ${resolved.file ?? SOURCE}\n`,
  );
  const stop = (signal: string) => {
    void proxy.shutdown(`received ${signal}`).then(
      () => process.exit(0),
      (error: Error) => {
        process.stderr.write(`shutdown failed: ${error.message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  // Last line of defence: a bug on a request path must not take every other request down.
  process.on('uncaughtException', (error) => process.stderr.write(`uncaught exception (kept serving): ${error.stack ?? error}\n`));
  process.on('unhandledRejection', (error) => process.stderr.write(`unhandled rejection (kept serving): ${String(error)}\n`));
  return proxy;
}
