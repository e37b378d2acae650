// Typed errors with stable codes; the CLI maps each to its documented exit code (DESIGN.md):
// 0 pass, 1 regression or budget breach, 2 usage or configuration error, 3 the run itself failed.
export const EXIT = { ok: 0, regression: 1, usage: 2, runFailed: 3 } as const;

export class LabError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LabError';
  }
}

/** Bad input: a scenario, baseline or flag that is wrong. Names file, field and value. */
export class UsageError extends LabError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, EXIT.usage, options);
  }
}

/** The run itself failed: a target did not start, died, or errors went over the limit. */
export class RunFailedError extends LabError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, EXIT.runFailed, options);
  }
}
