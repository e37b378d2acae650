// Typed proxy errors with stable codes. ConfigError is raised once, at load, and names the
// file, the field path and the bad value; the CLI exits 2 on it.
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(
    readonly file: string,
    readonly field: string,
    readonly value: unknown,
    readonly reason: string,
  ) {
    super(`${file}: ${field || '(root)'}: ${reason} (got ${formatValue(value)})`);
    this.name = 'ConfigError';
  }
}

function formatValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
