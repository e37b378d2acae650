// `proxylab proxy`: resolve the configuration from a file or the quick-start flags, apply
// environment and command-line overrides, start, and stop gracefully on SIGTERM/SIGINT.
import { ConfigError } from './errors.js';
import { loadConfigFile, resolveConfig, type ResolvedConfig } from './config/load.js';
import { parseFlagArgument, resolveFlags, describeFlags, FlagError, PRESETS, FLAG_NAMES, type HandlerFlags, type PresetName } from './handlers/flags.js';
import { startProxy, type RunningProxy } from './server.js';

export interface ProxyCliOptions {
  config?: string;
  upstream?: string;
  listen?: string;
  adminListen?: string;
  handler?: string;
  flag?: string[];
  watch?: boolean;
  /** Live canary quick start: its preset, flag overrides and weight (override the file's canary: section). */
  canary?: string;
  canaryFlag?: string[];
  canaryWeight?: string;
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

  const canaryCli = canaryOverrides(cli);
  const overrides = (config: ResolvedConfig): ResolvedConfig => {
    const next = { ...config };
    if (listen) next.listen = listen;
    if (adminListen) next.admin = { listen: adminListen };
    if (canaryCli) next.canary = { ...config.canary, ...canaryCli, flags: { ...config.canary?.flags, ...canaryCli.flags } } as ResolvedConfig['canary'];
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
  const variantName = describeFlags(flags);
  return { config, file, overrides, flags, variantName, canary: canaryVariant(config, variantName) };
}

/** The canary's command-line options, checked here so an error names the option, not a config path. */
function canaryOverrides(cli: ProxyCliOptions): { handler?: PresetName; weight?: number; flags: Partial<HandlerFlags> } | undefined {
  if (cli.canary === undefined && cli.canaryFlag === undefined && cli.canaryWeight === undefined) return undefined;
  const out: { handler?: PresetName; weight?: number; flags: Partial<HandlerFlags> } = { flags: {} };
  if (cli.canary !== undefined) {
    if (cli.canary !== 'baseline' && cli.canary !== 'optimized') throw new ConfigError(SOURCE, '--canary', cli.canary, 'must be baseline or optimized');
    out.handler = cli.canary;
  }
  if (cli.canaryWeight !== undefined) {
    const weight = Number(cli.canaryWeight);
    if (cli.canaryWeight.trim() === '' || !Number.isFinite(weight) || weight < 0 || weight > 100) {
      throw new ConfigError(SOURCE, '--canary-weight', cli.canaryWeight, 'must be a number from 0 to 100');
    }
    out.weight = weight;
  }
  for (const text of cli.canaryFlag ?? []) {
    try {
      out.flags = { ...out.flags, ...parseFlagArgument(text) };
    } catch (error) {
      if (error instanceof FlagError) throw new ConfigError(SOURCE, '--canary-flag', text, error.message.replace(/^--flag/, '--canary-flag'));
      throw error;
    }
  }
  return out;
}

/** The canary variant from the resolved canary: section; its label never equals the primary's. */
function canaryVariant(config: ResolvedConfig, primaryName: string): { name: string; flags: HandlerFlags } | undefined {
  const canary = config.canary;
  if (!canary) return undefined;
  const flags = resolveFlags(canary.handler, { ...canary.flags });
  const described = labelAgainstPreset(canary.handler, flags);
  const name = canary.name ?? (described === primaryName ? `${described}-canary` : described);
  if (name === primaryName) throw new ConfigError(SOURCE, 'canary.name', name, 'must differ from the primary variant');
  return { name, flags };
}

export async function runProxy(cli: ProxyCliOptions): Promise<RunningProxy> {
  const resolved = resolveProxyOptions(cli);
  const proxy = await startProxy({
    config: resolved.config,
    ...(resolved.file !== undefined && { file: resolved.file }),
    overrides: resolved.overrides,
    variant: { name: resolved.variantName, flags: resolved.flags },
    ...(resolved.canary && { canary: resolved.canary }),
    watch: cli.watch !== false,
  });
  process.stderr.write(
    `proxylab proxy: listening on ${proxy.url} (admin ${proxy.adminUrl}), variant ${resolved.variantName}` +
      (resolved.canary ? `, canary ${resolved.canary.name} at ${resolved.config.canary!.weight}%` : '') +
      `, config ${resolved.file ?? SOURCE}\n`,
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

/** A short label: the preset, then what differs from it (optimized+burn2000us, optimized-pooling). */
function labelAgainstPreset(preset: PresetName, flags: HandlerFlags): string {
  const base = PRESETS[preset];
  let label: string = preset;
  for (const name of FLAG_NAMES) if (flags[name] !== base[name]) label += `${flags[name] ? '+' : '-'}${name}`;
  if (flags.burn_us) label += `+burn${flags.burn_us}us`;
  return label;
}
