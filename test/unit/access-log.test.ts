// The optimized access log builds its JSON line by hand: it must still be valid JSON carrying every
// field exactly, whatever a client puts in the path.
import { describe, expect, it } from 'vitest';
import { formatAccessLine, type AccessRecord } from '../../proxy/logging/access-log.js';

const base: AccessRecord = { id: 'ab12-1', variant: 'optimized', method: 'GET', path: '/api/items/1', status: 200, ms: 1.23456, route: 'default' };

describe('access-log line', () => {
  it('is one JSON object per line with every field, ms rounded to µs', () => {
    const line = formatAccessLine({ ...base, upstream: 'app', error: 'reset', log: { rule: 'r', headers: { a: 'b' } } }, 1700000000000);
    expect(line.endsWith('}\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(JSON.parse(line)).toEqual({
      level: 30, time: 1700000000000, id: 'ab12-1', variant: 'optimized', method: 'GET', path: '/api/items/1',
      status: 200, ms: 1.235, route: 'default', upstream: 'app', error: 'reset', log: { rule: 'r', headers: { a: 'b' } },
    });
  });

  it('escapes what a client can put in a path: quotes, backslashes, control characters, non-ASCII', () => {
    for (const path of ['/a"b', '/a\\b', '/a\nb\u0001', '/caf\u00e9', '/\u{1F600}', '/\u007f', '/"}\n{"x":1']) {
      const line = formatAccessLine({ ...base, path, route: `r"${path}` }, 1);
      expect(line.split('\n')).toHaveLength(2);
      const parsed = JSON.parse(line) as AccessRecord;
      expect(parsed.path).toBe(path);
      expect(parsed.route).toBe(`r"${path}`);
    }
  });
});
