// Load, substitute and validate a proxy configuration once, at the edge. Everything past this
// file trusts the ResolvedConfig it returns.
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { Ajv, type ErrorObject } from 'ajv';
import { ConfigError } from '../errors.js';
import { ProxyConfig } from './schema.js';
import { isValidPattern } from './regex.js';

type Defaults<T> = { [K in keyof T]-?: NonNullable<T[K]> };
/** A validated configuration with every default filled in. */
export type ResolvedConfig = Defaults<Omit<ProxyConfig, 'flags' | 'handler' | 'canary'>> & Pick<ProxyConfig, 'flags' | 'handler' | 'canary'> & {
  limits: Defaults<NonNullable<ProxyConfig['limits']>>;
  timeouts: Defaults<NonNullable<ProxyConfig['timeouts']>>;
  embedded_url: Defaults<NonNullable<ProxyConfig['embedded_url']>>;
  logging: Defaults<NonNullable<ProxyConfig['logging']>>;
  drop: Defaults<NonNullable<ProxyConfig['drop']>>;
  response_logging: Defaults<NonNullable<ProxyConfig['response_logging']>>;
  access_log: Defaults<NonNullable<ProxyConfig['access_log']>>;
};

export const DEFAULT_LISTEN = '127.0.0.1:8080';
export const DEFAULT_ADMIN_LISTEN = '127.0.0.1:9901';

const ajv = new Ajv({ allErrors: false, useDefaults: true, strict: false });
ajv.addFormat('regex', isValidPattern);
const validate = ajv.compile(ProxyConfig);

/** Replace ${VAR} with the environment's value; an unset variable is a configuration error. */
export function substituteEnv(text: string, env: NodeJS.ProcessEnv, file: string): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_match, name: string, fallback?: string) => {
    const value = env[name] ?? fallback;
    if (value === undefined) throw new ConfigError(file, `\${${name}}`, undefined, 'environment variable is not set');
    return value;
  });
}

export function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): ResolvedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, '', file, `cannot read file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const doc = parseDocument(substituteEnv(text, env, file));
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const where = first.linePos?.[0] ? `line ${first.linePos[0].line}, column ${first.linePos[0].col}` : '';
    throw new ConfigError(file, where, undefined, `invalid YAML: ${first.message.split('\n')[0]}`);
  }
  return resolveConfig(doc.toJS(), file);
}

/** Validate a plain object (from YAML or the quick-start flags) and fill in defaults. */
export function resolveConfig(input: unknown, file: string): ResolvedConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ConfigError(file, '', input, 'the configuration must be a mapping');
  }
  const config = structuredClone(input) as Record<string, unknown>;
  // Empty sections let ajv fill their defaults.
  for (const section of ['limits', 'timeouts', 'embedded_url', 'logging', 'drop', 'response_logging', 'access_log']) {
    config[section] ??= {};
  }
  if (!validate(config)) throw toConfigError(validate.errors?.[0], config, file);
  const resolved = config as unknown as ResolvedConfig;
  resolved.listen ??= DEFAULT_LISTEN;
  resolved.admin ??= { listen: DEFAULT_ADMIN_LISTEN };
  checkReferences(resolved, file);
  return resolved;
}

function toConfigError(error: ErrorObject | undefined, config: unknown, file: string): ConfigError {
  if (!error) return new ConfigError(file, '', config, 'invalid configuration');
  const path = pointerToPath(error.instancePath);
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    return new ConfigError(file, path ? `${path}.${extra}` : extra, valueAt(config, error.instancePath)?.[extra as never], 'unknown field');
  }
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return new ConfigError(file, path ? `${path}.${missing}` : missing, undefined, 'required field is missing');
  }
  const reason = error.keyword === 'format' && error.params.format === 'regex' ? 'not a valid regular expression' : (error.message ?? 'invalid');
  return new ConfigError(file, path, valueAt(config, error.instancePath), reason);
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

/** Checks a schema cannot express: names that refer to each other, one-of-many match fields. */
function checkReferences(config: ResolvedConfig, file: string): void {
  const sticky = config.canary?.sticky;
  if (sticky?.by === 'header' && !sticky.header) throw new ConfigError(file, 'canary.sticky.header', undefined, 'by: header needs the header to hash');
  const upstreams = new Set<string>();
  config.upstreams.forEach((upstream, i) => {
    if (upstreams.has(upstream.name)) throw new ConfigError(file, `upstreams[${i}].name`, upstream.name, 'duplicate upstream name');
    upstreams.add(upstream.name);
  });
  const routes = new Set<string>();
  config.routes.forEach((route, i) => {
    if (routes.has(route.name)) throw new ConfigError(file, `routes[${i}].name`, route.name, 'duplicate route name');
    routes.add(route.name);
    if (!upstreams.has(route.upstream)) {
      throw new ConfigError(file, `routes[${i}].upstream`, route.upstream, `no upstream of that name (have: ${[...upstreams].join(', ')})`);
    }
    const path = route.match?.path;
    if (path && Object.keys(path).length !== 1) {
      throw new ConfigError(file, `routes[${i}].match.path`, path, 'give exactly one of prefix, exact, regex');
    }
    for (const kind of ['headers', 'query'] as const) {
      for (const [name, m] of Object.entries(route.match?.[kind] ?? {})) {
        if (Object.keys(m).length !== 1) {
          throw new ConfigError(file, `routes[${i}].match.${kind}.${name}`, m, 'give exactly one of exact, regex, present');
        }
      }
    }
  });
}
