// Read and validate a result.json. Reports trust what this returns; anything wrong is the
// user's input (a hand-edited or foreign file), hence a UsageError naming file, field and value.
import { readFile } from 'node:fs/promises';
import { Ajv, type ErrorObject } from 'ajv';
import { UsageError } from '../errors.js';
import { RESULT_VERSION, RunResult } from '../result/schema.js';

const validate = new Ajv({ allErrors: true, strict: false }).compile<RunResult>(RunResult);

export async function loadResult(file: string): Promise<RunResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file (write one with `proxylab run`)' : `cannot read (${code ?? String(error)})`;
    throw new UsageError('RESULT_UNREADABLE', `${file}: ${why}`, { cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError('RESULT_INVALID', `${file}: not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return checkResult(data, file);
}

/** Validate parsed JSON; split out so callers holding an object need not write a file. */
export function checkResult(data: unknown, file: string): RunResult {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new UsageError('RESULT_INVALID', `${file}: expected a JSON object, got ${describe(data)}`);
  }
  // Identity and version first: a result from another tool or proxylab version would otherwise
  // surface as a confusing list of field errors.
  const { schema, version } = data as Record<string, unknown>;
  if (schema !== 'proxylab/result') {
    throw new UsageError('RESULT_INVALID', `${file}: field "schema" is ${describe(schema)}, expected "proxylab/result"`);
  }
  if (version !== RESULT_VERSION) {
    throw new UsageError(
      'RESULT_VERSION',
      `${file}: field "version" is ${describe(version)}; this proxylab reads result version ${RESULT_VERSION}`,
    );
  }
  if (!validate(data)) {
    const errors = validate.errors ?? [];
    // One field per message keeps it readable; say how many more there are to fix.
    const fields = new Set(errors.map((e) => e.instancePath + (e.keyword === 'required' ? `/${String(e.params.missingProperty)}` : '')));
    const more = fields.size > 1 ? ` (and ${fields.size - 1} more invalid field${fields.size > 2 ? 's' : ''})` : '';
    throw new UsageError('RESULT_INVALID', `${file}: ${explain(errors, data)}${more}`);
  }
  return data;
}

/** The first failing field, with its value and what was expected. */
function explain(errors: ErrorObject[], root: unknown): string {
  const first = errors[0];
  if (!first) return 'does not match the result schema';
  if (first.keyword === 'required') {
    const missing = (first.params as { missingProperty: string }).missingProperty;
    return `field "${joinPath(first.instancePath, missing)}" is missing`;
  }
  const path = pointerToPath(first.instancePath);
  const value = describe(valueAt(root, first.instancePath));
  // A union (e.g. target kind) fails once per branch: list the allowed constants together.
  const sameField = errors.filter((e) => e.instancePath === first.instancePath);
  const allowed = sameField.filter((e) => e.keyword === 'const').map((e) => JSON.stringify((e.params as { allowedValue: unknown }).allowedValue));
  const expected = allowed.length > 0 ? `must be one of ${allowed.join(', ')}` : (first.message ?? 'is invalid');
  return `field "${path || '(root)'}" is ${value}: ${expected}`;
}

function joinPath(pointer: string, key: string): string {
  const parent = pointerToPath(pointer);
  return parent ? `${parent}.${key}` : key;
}

/** "/scenarios/0/targets/1/kind" → "scenarios[0].targets[1].kind" */
function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const part of pointer.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

/** A short, printable rendering of a bad value. */
function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}
