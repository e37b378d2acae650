// The published JSON Schema of the proxy configuration: what /config/docs serves and what
// proxy/config/proxylab.schema.json holds for editors (yaml-language-server: $schema=...).
import { ProxyConfig } from './schema.js';

export const CONFIG_SCHEMA_FILE = 'proxy/config/proxylab.schema.json';

export function configJsonSchema(): string {
  return `${JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...ProxyConfig }, null, 2)}\n`;
}
