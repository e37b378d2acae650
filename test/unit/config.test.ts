// Configuration loading and the pieces compiled from it, without sockets.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolveConfig, substituteEnv } from '../../proxy/config/load.js';
import { configJsonSchema, CONFIG_SCHEMA_FILE } from '../../proxy/config/json-schema.js';
import { ConfigError } from '../../proxy/errors.js';
import { parseFlagArgument, resolveFlags, PRESETS, FLAG_NAMES } from '../../proxy/handlers/flags.js';
import { createBalancer } from '../../proxy/upstream/balancer.js';
import { createTarget } from '../../proxy/upstream/target.js';
import { toRegExp } from '../../proxy/config/regex.js';
import { redact } from '../../proxy/admin/redact.js';

const minimal = { upstreams: [{ name: 'u', targets: [{ url: 'http://127.0.0.1:9000' }] }], routes: [{ name: 'r', upstream: 'u' }] };

describe('configuration', () => {
  it('the committed JSON Schema file matches the schema in code', () => {
    expect(readFileSync(CONFIG_SCHEMA_FILE, 'utf8')).toBe(configJsonSchema());
  });

  it('fills defaults once at load', () => {
    const config = resolveConfig(minimal, 'f.yaml');
    expect(config.limits.max_body_bytes).toBe(10 * 1024 * 1024);
    expect(config.timeouts.upstream_keep_alive_ms).toBeLessThan(5000); // below Node's default server keep-alive
    expect(config.embedded_url).toEqual({ enabled: false, allowed_hosts: [] });
    expect(config.listen).toBe('127.0.0.1:8080');
  });

  it('names file, field path and value in every error', () => {
    const attempt = (input: unknown) => {
      try {
        resolveConfig(input, 'f.yaml');
      } catch (error) {
        return error as ConfigError;
      }
      throw new Error('expected a ConfigError');
    };
    const e1 = attempt({ ...minimal, routes: [{ name: 'r', upstream: 'u', match: { path: { prefix: 'no-slash' } } }] });
    expect([e1.file, e1.field, e1.value]).toEqual(['f.yaml', 'routes[0].match.path.prefix', 'no-slash']);
    const e2 = attempt({ ...minimal, upstreams: [...minimal.upstreams, { name: 'u', targets: [{ url: 'http://x:1' }] }] });
    expect([e2.field, e2.value]).toEqual(['upstreams[1].name', 'u']);
    const e3 = attempt({ ...minimal, routes: [{ name: 'r', upstream: 'u', match: { path: { prefix: '/a', exact: '/b' } } }] });
    expect(e3.field).toBe('routes[0].match.path');
    expect(e1.message).toMatch(/^f\.yaml: routes\[0\]\.match\.path\.prefix: .* \(got "no-slash"\)$/);
  });

  it('substitutes ${VAR} and ${VAR:-default}', () => {
    expect(substituteEnv('a: ${X}\nb: ${Y:-dflt}', { X: '1' }, 'f')).toBe('a: 1\nb: dflt');
    expect(() => substituteEnv('${MISSING}', {}, 'f')).toThrow(/MISSING/);
  });
});

describe('flags', () => {
  it('presets: baseline all off, optimized all on, burn never part of either', () => {
    for (const name of FLAG_NAMES) {
      expect(PRESETS.baseline[name]).toBe(false);
      expect(PRESETS.optimized[name]).toBe(true);
    }
    expect(PRESETS.baseline.burn_us + PRESETS.optimized.burn_us).toBe(0);
  });

  it('parses --flag NAME=on|off and burn=Nus', () => {
    expect(resolveFlags('optimized', parseFlagArgument('pooling=off')).pooling).toBe(false);
    expect(parseFlagArgument('burn=50us')).toEqual({ burn_us: 50 });
    expect(() => parseFlagArgument('warp=on')).toThrow(/unknown flag "warp"/);
    expect(() => parseFlagArgument('pooling=maybe')).toThrow(/on or off/);
  });
});

describe('balancers', () => {
  const a = createTarget('http://a:1', 5);
  const b = createTarget('http://b:1', 1);
  const c = createTarget('http://c:1', 1);

  it('smooth weighted round robin gives nginx\'s a a b a c a a for 5:1:1', () => {
    const balancer = createBalancer('weighted_round_robin', [a, b, c]);
    const picks = Array.from({ length: 7 }, () => balancer.pick()!.url.slice(7, 8)).join(' ');
    expect(picks).toBe('a a b a c a a');
  });

  it('skips unhealthy targets and returns nothing when none is healthy', () => {
    const x = createTarget('http://x:1');
    const y = createTarget('http://y:1');
    const rr = createBalancer('round_robin', [x, y]);
    x.healthy = false;
    expect([rr.pick(), rr.pick()].map((t) => t?.url)).toEqual(['http://y:1', 'http://y:1']);
    y.healthy = false;
    expect(rr.pick()).toBeUndefined();
  });
});

describe('patterns and redaction', () => {
  it('turns a leading (?i) into a flag', () => {
    expect(toRegExp('(?i)^bot').test('BOT/1')).toBe(true);
    expect(toRegExp('^bot').test('BOT/1')).toBe(false);
  });

  it('redacts secrets and URL credentials', () => {
    expect(redact({ url: 'http://u:p@h:1', api_key: 'k', nested: [{ password: 'x', keep: 'y' }] })).toEqual({
      url: 'http://[redacted]@h:1',
      api_key: '[redacted]',
      nested: [{ password: '[redacted]', keep: 'y' }],
    });
  });
});

describe('the documented example', () => {
  it('proxy/config/example.yaml loads and validates', async () => {
    const { loadConfigFile } = await import('../../proxy/config/load.js');
    const config = loadConfigFile('proxy/config/example.yaml', {});
    expect(config.routes.map((r) => r.name)).toEqual(['v2-api', 'default']);
    expect(config.listen).toBe('127.0.0.1:8080');
  });
});
