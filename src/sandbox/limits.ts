// Sandbox resource limits: defaults sized for a test suite on a small worker (2 cores), and the
// merge of a caller's partial limits over them, refusing values that would disable a limit.
import type { SandboxLimits } from './types.ts';

const MiB = 1024 * 1024;

export const DEFAULT_LIMITS: Readonly<SandboxLimits> = Object.freeze({
  memoryBytes: 1024 * MiB,
  cpus: 1,
  pids: 512,
  tmpBytes: 256 * MiB,
  outputBytes: 1 * MiB,
});

/** Default wall-clock limit of one exec when the caller gives none. */
export const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;

export function resolveLimits(partial: Partial<SandboxLimits> = {}): SandboxLimits {
  const limits = { ...DEFAULT_LIMITS, ...dropUndefined(partial) };
  for (const [name, value] of Object.entries(limits)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new RangeError(`sandbox limit ${name} must be a positive number, got ${String(value)}`);
    }
  }
  // Docker refuses memory below 6 MiB; anything that small is a unit mistake anyway.
  if (limits.memoryBytes < 6 * MiB) throw new RangeError('sandbox limit memoryBytes must be at least 6 MiB');
  return {
    memoryBytes: Math.floor(limits.memoryBytes),
    cpus: limits.cpus,
    pids: Math.floor(limits.pids),
    tmpBytes: Math.floor(limits.tmpBytes),
    outputBytes: Math.floor(limits.outputBytes),
  };
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
