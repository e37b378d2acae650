// Load and validate scenario and suite files once, at the edge: every error names the file, the
// field path and the bad value (UsageError, exit 2). Everything past this file trusts a Scenario.
import { readFileSync, existsSync } from 'node:fs';
import { dirname, resolve, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { Ajv, type ErrorObject } from 'ajv';
import { UsageError } from '../errors.js';
import {
  Scenario as ScenarioSchema,
  Suite as SuiteSchema,
  type ScenarioInput,
  type OriginSpec,
  type LoadSpec,
  type TargetSpec,
  type RequestSpec,
} from './schema.js';
import { parseBudget, BudgetSyntaxError, type Budget } from './budget.js';

/** Repo root: this file is lab/scenario/load.ts, or dist/lab/scenario/load.js once built. */
const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(here, /[/\\]dist[/\\]lab[/\\]scenario$/.test(here) ? '../../..' : '../..');
export const SCENARIO_DIR = join(REPO_ROOT, 'scenarios');

type Filled<T> = { [K in keyof T]-?: Exclude<T[K], undefined> };

export type OriginConfig = Filled<Omit<OriginSpec, 'latency_ms' | 'latency_us'>> & { latency_us: number };
export type ProxyTarget = {
  kind: 'proxy';
  name: string;
  preset: 'baseline' | 'optimized';
  flags: Record<string, boolean>;
  config?: string;
  /** regression injection (proxy --flag burn=<N>us); absent or 0 = none */
  burn_us?: number;
};
export type ExternalTarget = {
  kind: 'external';
  name: string;
  command: string;
  args: string[];
  config?: string;
  ready: { http?: string; tcp?: boolean; timeout_s: number };
};
export type Target = ProxyTarget | ExternalTarget;

export interface Scenario {
  name: string;
  description: string;
  file: string;
  origin: OriginConfig;
  targets: Target[];
  direct: boolean;
  requests: Array<Filled<RequestSpec>>;
  load: Filled<Omit<LoadSpec, 'rate'>> & { rate?: number };
  rounds: number;
  error_limit: number;
  cpu: { driver?: string; origin?: string; targets?: string };
  /** budgets per target name, parsed (see budget.ts) */
  budgets: Record<string, Budget[]>;
}

const ajv = new Ajv({ allErrors: false, useDefaults: true, strict: false });
const validateScenario = ajv.compile<ScenarioInput>(ScenarioSchema);
const validateSuite = ajv.compile(SuiteSchema);

export function scenarioError(file: string, field: string, value: unknown, reason: string): UsageError {
  const shown = value === undefined ? '' : ` (got ${JSON.stringify(value)?.slice(0, 120)})`;
  return new UsageError('SCENARIO_INVALID', `${file}: ${field || '<root>'}: ${reason}${shown}`);
}

function readYaml(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError('SCENARIO_INVALID', `${file}: cannot read file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const pos = first.linePos?.[0];
    throw scenarioError(file, pos ? `line ${pos.line}, column ${pos.col}` : '', undefined, `invalid YAML: ${first.message.split('\n')[0]}`);
  }
  return doc.toJS();
}

export function loadScenario(path: string, overrides: { rounds?: number; duration_s?: number } = {}): Scenario {
  const file = resolve(path);
  const raw = readYaml(file);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw scenarioError(file, '', raw, 'a scenario must be a mapping');
  const input = structuredClone(raw) as Record<string, unknown>;
  // Empty sections let ajv fill their defaults.
  input.origin ??= {};
  input.load ??= {};
  if (!validateScenario(input)) throw toScenarioError(validateScenario.errors?.[0], input, file);
  return resolveScenario(input as ScenarioInput, file, overrides);
}

// The `!`s below read fields that have a schema default: ajv (useDefaults) has filled them in.
function resolveScenario(input: ScenarioInput, file: string, overrides: { rounds?: number; duration_s?: number }): Scenario {
  const base = dirname(file);
  const origin = input.origin!;
  if (origin.latency_us !== undefined && origin.latency_ms !== undefined) {
    throw scenarioError(file, 'origin.latency_ms', origin.latency_ms, 'give latency_us or latency_ms, not both');
  }
  const load = input.load!;
  if (load.driver === 'open-loop' && load.rate === undefined) throw scenarioError(file, 'load.rate', undefined, 'the open-loop driver needs a rate');
  if (load.driver === 'autocannon' && load.rate !== undefined) throw scenarioError(file, 'load.rate', load.rate, 'rate applies to the open-loop driver only');
  if (load.driver === 'open-loop' && load.pipelining !== 1) throw scenarioError(file, 'load.pipelining', load.pipelining, 'the open-loop driver does not pipeline');

  const names = new Set<string>(['direct']);
  const targets = input.targets!.map((t, i) => {
    if (names.has(t.name)) throw scenarioError(file, `targets[${i}].name`, t.name, t.name === 'direct' ? '"direct" is reserved (see the `direct` field)' : 'duplicate target name');
    names.add(t.name);
    return resolveTarget(t, i, file);
  });
  if (targets.length === 0 && !input.direct) throw scenarioError(file, 'targets', [], 'nothing to measure: no targets and direct is false');

  const existing = (field: string, p: string) => {
    const abs = isAbsolute(p) ? p : resolve(base, p);
    if (!existsSync(abs)) throw scenarioError(file, field, p, 'file does not exist');
    return abs;
  };
  input.targets!.forEach((t, i) => {
    const r = targets[i]!;
    if (r.config !== undefined) r.config = existing(t.external ? `targets[${i}].external.config` : `targets[${i}].config`, r.config);
  });

  const budgets: Record<string, Budget[]> = {};
  for (const [name, exprs] of Object.entries(input.budgets ?? {})) {
    if (!names.has(name) || (name === 'direct' && !input.direct)) {
      throw scenarioError(file, `budgets.${name}`, name, `no target of that name (have: ${[...names].filter((n) => n !== 'direct' || input.direct).join(', ')})`);
    }
    budgets[name] = exprs.map((text, i) => {
      try {
        const budget = parseBudget(text);
        if (budget.subject.kind === 'overhead' && (name === 'direct' || !input.direct)) {
          throw new BudgetSyntaxError('overhead budgets need a target measured next to direct (direct: true)');
        }
        return budget;
      } catch (error) {
        if (error instanceof BudgetSyntaxError) throw scenarioError(file, `budgets.${name}[${i}]`, text, error.message);
        throw error;
      }
    });
  }

  return {
    budgets,
    name: input.name,
    description: input.description!,
    file,
    origin: {
      size: origin.size!,
      latency_us: origin.latency_us ?? Math.round((origin.latency_ms ?? 0) * 1000),
      chunked: origin.chunked!,
      chunk_size: Math.max(1, origin.chunk_size!),
      status: origin.status ?? [{ status: 200, weight: 1 }],
    },
    targets,
    direct: input.direct!,
    requests: input.requests as Array<Filled<RequestSpec>>,
    load: {
      driver: load.driver!,
      connections: load.connections!,
      pipelining: load.pipelining!,
      duration_s: overrides.duration_s ?? load.duration_s!,
      warmup_s: load.warmup_s!,
      timeout_s: load.timeout_s!,
      ...(load.rate === undefined ? {} : { rate: load.rate }),
    },
    rounds: overrides.rounds ?? input.rounds!,
    error_limit: input.error_limit!,
    cpu: input.cpu ?? {},
  };
}

function resolveTarget(t: TargetSpec, i: number, file: string): Target {
  if (t.external) {
    if (t.preset || t.flags || t.config || t.burn_us !== undefined) {
      throw scenarioError(file, `targets[${i}]`, t.name, 'an external target takes no preset, flags or config (put config under external)');
    }
    const ready = t.external.ready ?? {};
    return {
      kind: 'external',
      name: t.name,
      command: t.external.command,
      args: t.external.args!,
      ready: { timeout_s: ready.timeout_s ?? 20, ...(ready.http ? { http: ready.http } : {}), ...(ready.tcp || !ready.http ? { tcp: true } : {}) },
      ...(t.external.config ? { config: t.external.config } : {}),
    };
  }
  if (!t.preset && !t.flags) throw scenarioError(file, `targets[${i}]`, t.name, 'a proxy target needs a preset and/or flags, or `external`');
  return {
    kind: 'proxy',
    name: t.name,
    preset: t.preset ?? 'baseline',
    flags: t.flags ?? {},
    ...(t.config ? { config: t.config } : {}),
    ...(t.burn_us ? { burn_us: t.burn_us } : {}),
  };
}

function toScenarioError(error: ErrorObject | undefined, input: unknown, file: string): UsageError {
  if (!error) return scenarioError(file, '', undefined, 'invalid scenario');
  const path = pointerToPath(error.instancePath);
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    return scenarioError(file, path ? `${path}.${extra}` : extra, valueAt(input, error.instancePath)?.[extra], 'unknown field');
  }
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return scenarioError(file, path ? `${path}.${missing}` : missing, undefined, 'required field is missing');
  }
  let reason = error.message ?? 'invalid';
  if (error.keyword === 'anyOf') reason = 'must be one of the listed values';
  if (error.keyword === 'const') reason = `must be ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}`;
  return scenarioError(file, path, valueAt(input, error.instancePath), reason);
}

function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

function valueAt(root: unknown, pointer: string): Record<string, unknown> | undefined {
  let node: unknown = root;
  for (const part of pointer.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node as Record<string, unknown> | undefined;
}

/** A suite by name (scenarios/suites/NAME.yaml) or by path; returns its scenario files, absolute. */
export function loadSuite(nameOrPath: string): { name: string; files: string[] } {
  const byName = join(SCENARIO_DIR, 'suites', `${nameOrPath}.yaml`);
  const file = /[/\\]|\.ya?ml$/.test(nameOrPath) ? resolve(nameOrPath) : byName;
  if (!existsSync(file)) throw new UsageError('SUITE_NOT_FOUND', `suite "${nameOrPath}": no file ${file}`);
  const raw = readYaml(file);
  if (!validateSuite(raw)) throw toScenarioError(validateSuite.errors?.[0], raw, file);
  const suite = raw as { name?: string; scenarios: string[] };
  const files = suite.scenarios.map((s, i) => {
    const abs = isAbsolute(s) ? s : resolve(dirname(file), s);
    if (!existsSync(abs)) throw scenarioError(file, `scenarios[${i}]`, s, 'file does not exist');
    return abs;
  });
  return { name: suite.name ?? nameOrPath, files };
}
