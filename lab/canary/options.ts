// `proxylab canary` arguments, checked before anything starts: bad input names the option and the
// value and exits 2.
import { UsageError } from '../errors.js';
import { FlagError, parseFlagArgument } from '../../proxy/handlers/flags.js';
import { loadConfigFile } from '../../proxy/config/load.js';

export interface CanaryCliOptions {
  scenario: string;
  steps: string;
  stepDuration: string;
  primary: string;
  canary: string;
  canaryFlag?: string[];
  config?: string;
  out?: string;
  maxLatencyRatio: string;
  minDeltaMs: string;
  maxErrorRate: string;
  minSamples: string;
}

export interface CanaryPlan {
  scenario: string;
  steps: number[];
  step_s: number;
  primary: 'baseline' | 'optimized';
  canary: 'baseline' | 'optimized';
  canaryFlags: string[];
  config?: string;
  out?: string;
  judge: { max_latency_ratio: number; min_delta_ms: number; max_error_rate: number; min_samples: number };
}

const bad = (option: string, value: string, reason: string) => new UsageError('CANARY_ARGS', `${option}: ${reason} (got ${JSON.stringify(value)})`);

/** "30s", "500ms", "2m" or a bare number of seconds. */
export function parseDuration(option: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) throw bad(option, text, 'expected a duration such as 30s, 500ms or 2m');
  const n = Number(m[1]) * (m[2] === 'ms' ? 0.001 : m[2] === 'm' ? 60 : 1);
  if (n < 0.5 || n > 3600) throw bad(option, text, 'must be between 0.5 s and 1 h');
  return n;
}

export function parseSteps(text: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  const steps = parts.map(Number);
  steps.forEach((s, i) => {
    if (parts[i] === '' || !Number.isFinite(s) || s <= 0 || s > 100) throw bad('--steps', text, `step "${parts[i]}" must be a percentage above 0 and at most 100`);
    if (i > 0 && s <= steps[i - 1]!) throw bad('--steps', text, 'steps must increase');
  });
  return steps;
}

function number(option: string, text: string, min: number, max: number, integer = false): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw bad(option, text, `must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
  }
  return n;
}

function preset(option: string, text: string): 'baseline' | 'optimized' {
  if (text !== 'baseline' && text !== 'optimized') throw bad(option, text, 'must be baseline or optimized');
  return text;
}

function canaryFlags(texts: string[]): string[] {
  for (const text of texts) {
    try {
      parseFlagArgument(text);
    } catch (error) {
      if (error instanceof FlagError) throw bad('--canary-flag', text, error.message.replace(/^--flag \S+: /, ''));
      throw error;
    }
  }
  return texts;
}

/** The proxy would refuse a bad file only after the origin started: check it now (exit 2, file/field/value). */
function checkConfig(file: string | undefined): void {
  if (file !== undefined) loadConfigFile(file, { ...process.env, ORIGIN_PORT: process.env['ORIGIN_PORT'] ?? '1' });
}

export function parsePlan(o: CanaryCliOptions): CanaryPlan {
  checkConfig(o.config);
  return {
    scenario: o.scenario,
    steps: parseSteps(o.steps),
    step_s: parseDuration('--step-duration', o.stepDuration),
    primary: preset('--primary', o.primary),
    canary: preset('--canary', o.canary),
    canaryFlags: canaryFlags(o.canaryFlag ?? []),
    ...(o.config === undefined ? {} : { config: o.config }),
    ...(o.out === undefined ? {} : { out: o.out }),
    judge: {
      max_latency_ratio: number('--max-latency-ratio', o.maxLatencyRatio, 1, 1000),
      min_delta_ms: number('--min-delta-ms', o.minDeltaMs, 0, 60_000),
      max_error_rate: number('--max-error-rate', o.maxErrorRate, 0, 1),
      min_samples: number('--min-samples', o.minSamples, 1, 10_000_000, true),
    },
  };
}
