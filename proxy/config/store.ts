// Holds the snapshot serving traffic and replaces it on reload. A bad file is refused with a log
// line and a metric; the old snapshot keeps serving.
import { ConfigError } from '../errors.js';
import { HealthChecker } from '../upstream/health.js';
import { loadConfigFile, type ResolvedConfig } from './load.js';
import { compileSnapshot, type Snapshot } from './snapshot.js';

export interface ReloadResult {
  ok: boolean;
  version: number;
  error?: string;
}

export interface StoreEvents {
  onSwap?(next: Snapshot, previous: Snapshot | undefined): void;
  onReload?(result: ReloadResult): void;
  onHealthChange?(upstream: string, origin: string, healthy: boolean): void;
}

export class SnapshotStore {
  #current: Snapshot;
  #version = 0;
  #checkers: HealthChecker[] = [];

  constructor(
    initial: ResolvedConfig,
    private readonly file: string | undefined,
    /** CLI and environment overrides, applied over every file the store loads. */
    private readonly overrides: (config: ResolvedConfig) => ResolvedConfig,
    private readonly events: StoreEvents = {},
  ) {
    this.#current = compileSnapshot(initial, ++this.#version, file ?? '<command line>');
    this.#startHealthChecks(this.#current);
  }

  get current(): Snapshot {
    return this.#current;
  }

  /** Load the file again; on any error keep serving the current snapshot. */
  reload(): ReloadResult {
    let result: ReloadResult;
    if (!this.file) {
      result = { ok: false, version: this.#version, error: 'no configuration file: the proxy was started from command-line flags' };
    } else {
      try {
        const config = this.overrides(loadConfigFile(this.file));
        const next = compileSnapshot(config, this.#version + 1, this.file);
        this.#version++;
        this.#swap(next);
        result = { ok: true, version: this.#version };
      } catch (error) {
        const message = error instanceof ConfigError ? error.message : `${this.file}: ${(error as Error).message}`;
        result = { ok: false, version: this.#version, error: message };
      }
    }
    this.events.onReload?.(result);
    return result;
  }

  stop(): void {
    for (const checker of this.#checkers) checker.stop();
    this.#checkers = [];
  }

  #swap(next: Snapshot): void {
    const previous = this.#current;
    this.stop();
    this.#current = next;
    this.#startHealthChecks(next);
    this.events.onSwap?.(next, previous);
  }

  #startHealthChecks(snapshot: Snapshot): void {
    for (const group of snapshot.groups.values()) {
      if (!group.healthCheck) continue;
      const checker = new HealthChecker(group.targets, group.healthCheck, (target, healthy) =>
        this.events.onHealthChange?.(group.name, target.origin, healthy),
      );
      checker.start();
      this.#checkers.push(checker);
    }
  }
}
