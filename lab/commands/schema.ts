// `proxylab schema`: print the scenario JSON Schema, or write it to scenarios/scenario.schema.json.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { scenarioJsonSchema } from '../scenario/schema.js';
import { SCENARIO_DIR } from '../scenario/load.js';

export const SCENARIO_SCHEMA_FILE = join(SCENARIO_DIR, 'scenario.schema.json');

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print the scenario JSON Schema (--write: update scenarios/scenario.schema.json)')
    .option('--write', 'write the committed schema file instead of printing it', false)
    .action((opts: { write: boolean }) => {
      if (opts.write) {
        writeFileSync(SCENARIO_SCHEMA_FILE, scenarioJsonSchema());
        process.stdout.write(`${SCENARIO_SCHEMA_FILE}\n`);
      } else {
        process.stdout.write(scenarioJsonSchema());
      }
    });
}
