// The scenario's weighted request mix as the sequence a driver sends: autocannon cycles through a
// request list in order, so weights become repetitions, interleaved (smooth weighted round robin).
import type { LoadRequest } from './types.js';

export interface MixEntry {
  method: string;
  path: string;
  headers: Record<string, string>;
  body_size: number;
  weight: number;
}

export function expandMix(mix: MixEntry[]): LoadRequest[] {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const g = mix.reduce((acc, m) => gcd(acc, m.weight), 0) || 1;
  const weights = mix.map((m) => m.weight / g);
  const total = weights.reduce((a, b) => a + b, 0);
  // One body buffer per entry, shared by every repetition.
  const built = mix.map((m): LoadRequest => {
    const headers = { ...m.headers };
    if (m.body_size > 0) headers['content-type'] ??= 'application/octet-stream';
    return { method: m.method, path: m.path, headers, ...(m.body_size > 0 ? { body: Buffer.alloc(m.body_size, 'b') } : {}) };
  });
  const credit = mix.map(() => 0);
  const out: LoadRequest[] = [];
  for (let n = 0; n < total; n++) {
    let best = 0;
    for (let i = 0; i < mix.length; i++) {
      credit[i]! += weights[i]!;
      if (credit[i]! > credit[best]!) best = i;
    }
    credit[best]! -= total;
    out.push(built[best]!);
  }
  return out;
}
