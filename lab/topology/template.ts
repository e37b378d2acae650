// Config files for targets (an nginx.conf, a proxy config) are copied into the run folder with
// {{NAME}} placeholders replaced, so the file that ran is kept next to the results.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UsageError } from '../errors.js';

export function renderTemplate(text: string, vars: Record<string, string | number>, source: string): string {
  return text.replace(/\{\{([A-Z_]+)\}\}/g, (_m, name: string) => {
    const value = vars[name];
    if (value === undefined) {
      throw new UsageError('TEMPLATE_UNKNOWN', `${source}: unknown placeholder {{${name}}} (known: ${Object.keys(vars).join(', ')})`);
    }
    return String(value);
  });
}

export function templateFile(source: string, dir: string, prefix: string, vars: Record<string, string | number>): string {
  const out = join(dir, `${prefix}-${basename(source)}`);
  writeFileSync(out, renderTemplate(readFileSync(source, 'utf8'), vars, source));
  return out;
}
