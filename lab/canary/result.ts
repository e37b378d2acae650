// canary.json: what `proxylab canary` saw, step by step, and how it ended. Versioned; the report
// is rendered from it.
import type { Environment } from '../result/schema.js';
import type { SideStats } from './judge.js';

export const CANARY_RESULT_VERSION = 1;

export interface CanaryStep {
  index: number;
  weight: number;
  /** seconds since the first step started */
  started_s: number;
  duration_s: number;
  /** 'reference': the weight-0 step measured before the first canary step */
  verdict: 'reference' | 'pass' | 'fail' | 'inconclusive' | 'guard';
  reasons: string[];
  primary: SideStats;
  canary: SideStats;
  /** both variants together */
  all: SideStats;
  /** what the load driver saw, both variants together */
  client: { requests: number; errors: number; non2xx: number; rps: number };
}

export interface CanaryResult {
  schema: 'proxylab/canary';
  version: number;
  run_id: string;
  started_at: string;
  finished_at: string;
  env: Environment;
  scenario: { name: string; file: string };
  variants: { primary: string; canary: string };
  presets: { primary: string; canary: string; canary_flags: string[] };
  plan: { steps: number[]; step_s: number };
  judge: { max_latency_ratio: number; min_delta_ms: number; max_error_rate: number; min_samples: number };
  outcome: 'promoted' | 'rolled_back';
  rolled_back_by?: 'judge' | 'guard';
  reason?: string;
  timeline: CanaryStep[];
}
