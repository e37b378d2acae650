// Option parsers shared by the subcommands: a bad value is commander's usage error (exit 2) naming
// the option.
import { InvalidArgumentError } from 'commander';

export const positive = (name: string) => (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number`);
  return n;
};

export const positiveInt = (name: string, max = Number.MAX_SAFE_INTEGER) => (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0 || n > max) {
    throw new InvalidArgumentError(max === Number.MAX_SAFE_INTEGER ? `${name} must be a whole number ≥ 1` : `${name} must be a whole number from 1 to ${max}`);
  }
  return n;
};

/** A repeatable option's values, in order. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
