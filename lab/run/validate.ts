// The lab checks its own output against the result.json contract before writing it: a result
// that readers would reject is a lab bug, and should fail here, not in the report.
import { Ajv } from 'ajv';
import { RunResult } from '../result/schema.js';
import { RunFailedError } from '../errors.js';

const validate = new Ajv({ allErrors: true, strict: false }).compile(RunResult);

export function assertValidResult(result: unknown): void {
  if (validate(result)) return;
  const problems = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
  throw new RunFailedError('RESULT_INVALID', `the lab produced a result.json that breaks its schema: ${problems.join('; ')}`);
}
