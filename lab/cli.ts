#!/usr/bin/env node
// `proxylab` and its subcommands. Each command lives in its own module under lab/commands/ (or,
// for the proxy itself, proxy/main.ts) and is registered here; this file only maps errors to the
// documented exit codes.
import { Command, CommanderError } from 'commander';
import { LabError, EXIT } from './errors.js';
import { commands } from './commands/index.js';
import { createRequire } from 'node:module';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

const program = new Command('proxylab')
  .description('A benchmark-driven performance lab built around a reference HTTP proxy')
  .version(version)
  .showHelpAfterError()
  .exitOverride();

for (const register of commands) register(program);

// `proxylab … | head`: the reader went away; nothing left to say, and not a crash.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(EXIT.ok);
  throw error;
});

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeFor(error);
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // --help and --version end with exit 0; any other parse failure is a usage error.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof LabError) {
    process.stderr.write(`proxylab: ${error.message} [${error.code}]\n`);
    return error.exitCode;
  }
  if (error instanceof Error && (error as { code?: string }).code === 'CONFIG_INVALID') {
    process.stderr.write(`proxylab: ${error.message}\n`);
    return EXIT.usage;
  }
  process.stderr.write(`proxylab: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT.runFailed;
}
