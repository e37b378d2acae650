// Metric names are written in one place, proxy/metrics/catalogue.ts. This scans the proxy's source
// (TypeScript AST, so comments do not count) and fails on a metric name written anywhere else: a
// `proxylab_` string or template literal, a prom-client metric constructed outside the registry
// (which builds every metric from a catalogue entry), prom-client imported outside proxy/metrics/,
// or the catalogue's prefix used to assemble a name elsewhere.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { CATALOGUE, PREFIX, type MetricDefinition } from '../../proxy/metrics/catalogue.js';
import { createMetrics } from '../../proxy/metrics/registry.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CATALOGUE_FILE = 'proxy/metrics/catalogue.ts';
/** Builds each prom-client metric from a catalogue entry; it may construct them, never name them. */
const REGISTRY_FILE = 'proxy/metrics/registry.ts';
const METRIC_CLASSES = new Set(['Counter', 'Gauge', 'Histogram', 'Summary']);
const PREFIX_EXPORTS = new Set(['PREFIX', 'DEFAULT_METRICS_PREFIX']);

/** `import type { Registry } from 'prom-client'` names no metric and constructs none. */
function typeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) return node.isTypeOnly;
  const clause = node.importClause;
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return !clause.name && bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.every((e) => e.isTypeOnly);
}

function violations(file: string, text: string): string[] {
  if (file === CATALOGUE_FILE) return [];
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const at = (node: ts.Node, what: string) => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    found.push(`${file}:${line + 1}: ${what}`);
  };
  const inMetrics = file.startsWith('proxy/metrics/');
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      if (node.text.includes(PREFIX) && !(ts.isImportDeclaration(node.parent) || ts.isExportDeclaration(node.parent))) {
        at(node, `metric name in a string: ${JSON.stringify(node.text)}`);
      }
    }
    if (ts.isNewExpression(node) && file !== REGISTRY_FILE) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      if (METRIC_CLASSES.has(name)) at(node, `new ${name}(...) outside ${REGISTRY_FILE}`);
    }
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (node.moduleSpecifier.text === 'prom-client' && !inMetrics && !typeOnly(node)) at(node, 'prom-client imported outside proxy/metrics/');
    }
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require') {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteral(arg) && arg.text === 'prom-client' && !inMetrics) at(node, 'prom-client required outside proxy/metrics/');
    }
    if (ts.isIdentifier(node) && PREFIX_EXPORTS.has(node.text) && !inMetrics) at(node, `${node.text} used outside proxy/metrics/`);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|cts|js|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

describe('metric names live only in the catalogue', () => {
  it('the proxy source writes no metric name outside proxy/metrics/catalogue.ts', () => {
    const files = sourceFiles('proxy');
    expect(files).toContain(CATALOGUE_FILE);
    expect(files).toContain('proxy/server.ts');
    const found = files.flatMap((file) => violations(relative(ROOT, join(ROOT, file)), readFileSync(join(ROOT, file), 'utf8')));
    expect(found).toEqual([]);
  });

  it('the scan catches each way of writing a name elsewhere', () => {
    const cases: Record<string, string> = {
      literal: `metrics.registry.getSingleMetric('proxylab_requests_total');`,
      template: 'const n = `proxylab_${kind}_total`;',
      counter: `import { Counter } from 'prom-client';\nnew Counter({ name: someName, help: 'h' });`,
      namespaced: `import * as client from 'prom-client';\nnew client.Histogram({ name: n, help: 'h' });`,
      typeThenValue: `import type { Registry } from 'prom-client';\nimport { Gauge } from 'prom-client';`,
      prefix: `import { PREFIX } from '../metrics/catalogue.js';\nconst n = PREFIX + 'x';`,
    };
    for (const [kind, text] of Object.entries(cases)) expect(violations('proxy/pipeline/x.ts', text), kind).not.toEqual([]);
    // Comments and the catalogue itself are not writes.
    expect(violations('proxy/pipeline/x.ts', '// counts proxylab_requests_total\nconst a = 1;')).toEqual([]);
    expect(violations('proxy/admin/x.ts', `import type { Registry } from 'prom-client';`)).toEqual([]);
    expect(violations(CATALOGUE_FILE, `const n = 'proxylab_requests_total';`)).toEqual([]);
  });

  it('the catalogue names are unique, prefixed, and exactly what the registry registers', async () => {
    const defs = Object.values(CATALOGUE as Record<string, MetricDefinition>);
    const names = defs.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(new RegExp(`^${PREFIX}[a-z0-9_]+$`));
    const registered = new Map((await createMetrics().registry.getMetricsAsJSON()).map((m) => [m.name, m.type]));
    for (const def of defs) expect(registered.get(def.name), def.name).toBe(def.type);
    // Everything else registered is prom-client's defaults, under the same prefix.
    for (const name of registered.keys()) expect(name.startsWith(PREFIX), name).toBe(true);
  });
});
