// Baseline files: baselines/<scenario>/<target>.json. Read and checked against the schema at the
// edge (a corrupt or wrong-version file is a UsageError naming file, field and value: exit 2, and is
// never overwritten silently); written atomically, so a killed save leaves the old bytes.
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Ajv } from 'ajv';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../report/write.js';
import { REPO_ROOT } from '../scenario/load.js';
import { BASELINE_VERSION, Baseline } from './schema.js';

export const DEFAULT_BASELINE_DIR = join(REPO_ROOT, 'baselines');

const ajv = new Ajv({ allErrors: false, strict: false });
const validate = ajv.compile<Baseline>(Baseline);

/** baselines/micro/ holds `proxylab micro` baselines (another format); a scenario cannot use that name. */
const RESERVED = new Set(['micro']);

export function baselineFile(dir: string, scenario: string, target: string): string {
  if (RESERVED.has(scenario)) throw new UsageError('BASELINE_NAME', `scenario name "${scenario}" is reserved in ${shown(dir)} (micro-benchmark baselines); rename the scenario`);
  return join(dir, scenario, `${target}.json`);
}

function shown(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

/** The baseline for one scenario/target, undefined when none was saved; throws exit 2 when unreadable. */
export function readBaseline(dir: string, scenario: string, target: string): Baseline | undefined {
  const file = baselineFile(dir, scenario, target);
  if (!existsSync(file)) return undefined;
  return parseBaseline(file, readFileSync(file, 'utf8'));
}

export function parseBaseline(file: string, text: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError('BASELINE_INVALID', `${shown(file)}: not valid JSON (${(error as Error).message}); fix or delete it, then save again`);
  }
  const obj = data as Record<string, unknown> | null;
  if (obj && typeof obj === 'object' && obj.schema === 'proxylab/baseline' && obj.version !== BASELINE_VERSION) {
    throw new UsageError(
      'BASELINE_VERSION',
      `${shown(file)}: version: this proxylab reads baseline version ${BASELINE_VERSION} (got ${JSON.stringify(obj.version)}); re-save it with \`proxylab baseline save\` after deleting it`,
    );
  }
  if (!validate(data)) {
    const e = validate.errors?.[0];
    const field = e?.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : '<root>';
    let value: unknown = data;
    for (const part of e?.instancePath.split('/').slice(1) ?? []) value = (value as Record<string, unknown> | undefined)?.[part];
    const extra = e?.keyword === 'required' ? ` ${(e.params as { missingProperty: string }).missingProperty}` : '';
    throw new UsageError(
      'BASELINE_INVALID',
      `${shown(file)}: ${field}:${extra} ${e?.message ?? 'invalid'}${value !== undefined && typeof value !== 'object' ? ` (got ${JSON.stringify(value)})` : ''}; fix or delete it, then save again`,
    );
  }
  return data;
}

export async function writeBaseline(dir: string, baseline: Baseline): Promise<string> {
  const file = baselineFile(dir, baseline.scenario, baseline.target);
  mkdirSync(join(dir, baseline.scenario), { recursive: true });
  await writeFileAtomic(file, `${JSON.stringify(baseline, null, 2)}\n`);
  return file;
}

/** Every baseline file of a scenario that exists, validated (exit 2 on the first bad one). */
export function readScenarioBaselines(dir: string, scenario: string): Map<string, Baseline> {
  const out = new Map<string, Baseline>();
  const folder = join(dir, scenario);
  baselineFile(dir, scenario, 'direct'); // reserved names
  if (!existsSync(folder)) return out;
  for (const name of readdirSync(folder).filter((f) => f.endsWith('.json') && !f.startsWith('.')).sort()) {
    const target = name.slice(0, -'.json'.length);
    out.set(target, readBaseline(dir, scenario, target)!);
  }
  return out;
}
