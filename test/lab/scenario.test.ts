// Scenario validation: every bad input names the file, the field and the value, and the CLI exits 2
// before starting any process. Also: every shipped scenario and suite loads, and the committed
// JSON Schema matches the TypeBox source.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario, loadSuite, SCENARIO_DIR } from '../../lab/scenario/load.js';
import { scenarioJsonSchema } from '../../lab/scenario/schema.js';
import { UsageError } from '../../lab/errors.js';
import { requireBuild, runCli, tempDir, writeScenario } from './helpers.js';

const VALID = `name: ok
origin: { size: 100 }
targets:
  - { name: opt, preset: optimized }
requests:
  - { method: GET, path: / }
load: { connections: 2, duration_s: 1 }
`;

describe('scenario loader', () => {
  const dir = tempDir('scenario');

  const cases: Array<{ what: string; text: string; field: string; value: string }> = [
    { what: 'unknown field', text: VALID.replace('origin: { size: 100 }', 'origin: { size: 100, colour: blue }'), field: 'origin.colour', value: '"blue"' },
    { what: 'wrong type', text: VALID.replace('connections: 2', 'connections: many'), field: 'load.connections', value: '"many"' },
    { what: 'unknown driver', text: VALID.replace('connections: 2', 'driver: wrk, connections: 2'), field: 'load.driver', value: '"wrk"' },
    { what: 'bad preset', text: VALID.replace('preset: optimized', 'preset: fastest'), field: 'targets[0].preset', value: '"fastest"' },
    { what: 'reserved target name', text: VALID.replace('name: opt', 'name: direct'), field: 'targets[0].name', value: '"direct"' },
    { what: 'open loop without rate', text: VALID.replace('connections: 2', 'driver: open-loop, connections: 2'), field: 'load.rate', value: '' },
    { what: 'missing config file', text: VALID.replace('preset: optimized', 'preset: optimized, config: nope.yaml'), field: 'targets[0].config', value: '"nope.yaml"' },
    { what: 'bad method', text: VALID.replace('method: GET', 'method: get'), field: 'requests[0].method', value: '"get"' },
  ];

  for (const c of cases) {
    it(`rejects ${c.what}, naming file, field and value`, () => {
      const file = writeScenario(dir, c.what.replace(/\W+/g, '-'), c.text);
      let error: unknown;
      try {
        loadScenario(file);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(UsageError);
      const message = (error as Error).message;
      expect(message).toContain(file);
      expect(message).toContain(`${c.field}:`);
      if (c.value) expect(message).toContain(c.value);
      expect((error as UsageError).exitCode).toBe(2);
    });
  }

  it('accepts the valid base and fills defaults', () => {
    const s = loadScenario(writeScenario(dir, 'valid', VALID));
    expect(s.direct).toBe(true);
    expect(s.rounds).toBe(3);
    expect(s.load.driver).toBe('autocannon');
    expect(s.requests[0]!.weight).toBe(1);
    expect(s.targets[0]).toMatchObject({ kind: 'proxy', preset: 'optimized' });
  });

  it('loads every shipped scenario and both suites', () => {
    const files = readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const f of files) expect(() => loadScenario(join(SCENARIO_DIR, f)), f).not.toThrow();
    for (const suite of ['ci', 'full']) {
      for (const f of loadSuite(suite).files) expect(() => loadScenario(f), f).not.toThrow();
    }
  });

  it('the committed scenarios/scenario.schema.json is up to date (run `proxylab schema --write`)', () => {
    expect(readFileSync(join(SCENARIO_DIR, 'scenario.schema.json'), 'utf8')).toBe(scenarioJsonSchema());
  });
});

describe('proxylab run with a bad scenario', () => {
  beforeAll(requireBuild);

  it('exits 2 and names file, field and value', async () => {
    const dir = tempDir('cli-bad');
    const file = writeScenario(dir, 'bad', VALID.replace('connections: 2', 'connections: -5'));
    const run = await runCli(['run', '--scenario', file, '--out', join(dir, 'out')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(file);
    expect(run.stderr).toContain('load.connections');
    expect(run.stderr).toContain('-5');
    expect(run.stderr).toContain('[SCENARIO_INVALID]');
  });

  it('exits 2 on YAML syntax errors with the line', async () => {
    const dir = tempDir('cli-yaml');
    const file = writeScenario(dir, 'broken', 'name: x\norigin: { size: 1\n');
    const run = await runCli(['run', '--scenario', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(file);
    expect(run.stderr).toMatch(/line \d+/);
  });

  it('exits 2 for an unknown suite', async () => {
    const run = await runCli(['run', '--suite', 'no-such-suite']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no-such-suite');
  });
});
