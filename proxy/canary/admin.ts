// GET /canary (weight, variants, guard state, last rollback) and PUT /canary {"weight": N} on the
// admin listener. Bad input gets 400 naming the field and the value.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CanaryController } from './controller.js';

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, null, 2);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Parse a PUT body; returns the weight or the reason it is refused. */
export function parseWeightBody(body: string): { weight: number } | { error: string } {
  let input: unknown;
  try {
    input = JSON.parse(body);
  } catch {
    return { error: `body: not JSON (got ${JSON.stringify(body.slice(0, 80))}); send {"weight": 0-100}` };
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { error: `body: must be an object {"weight": 0-100} (got ${JSON.stringify(input)})` };
  for (const key of Object.keys(input)) if (key !== 'weight') return { error: `${key}: unknown field (only "weight")` };
  const weight = (input as { weight?: unknown }).weight;
  if (weight === undefined) return { error: 'weight: required field is missing' };
  if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0 || weight > 100) {
    return { error: `weight: must be a number from 0 to 100 (got ${JSON.stringify(weight)})` };
  }
  return { weight };
}

/** The admin listener's extra route; true when it answered. */
export function canaryRoute(controller: CanaryController | undefined) {
  return (req: IncomingMessage, res: ServerResponse, body: string): boolean => {
    if ((req.url ?? '/').split('?')[0] !== '/canary') return false;
    if (req.method === 'GET') {
      json(res, 200, controller ? controller.state() : { enabled: false, weight: 0 });
      return true;
    }
    if (req.method === 'PUT') {
      if (!controller) {
        json(res, 409, { error: 'no_canary', message: 'no canary variant configured: start with --canary PRESET or a canary: section' });
        return true;
      }
      const parsed = parseWeightBody(body);
      if ('error' in parsed) {
        json(res, 400, { error: 'bad_request', message: parsed.error });
        return true;
      }
      controller.setWeight(parsed.weight, 'admin');
      json(res, 200, controller.state());
      return true;
    }
    res.setHeader('allow', 'GET, PUT');
    json(res, 405, { error: 'method_not_allowed', message: 'GET or PUT /canary' });
    return true;
  };
}
