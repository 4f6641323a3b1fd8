// The sandbox driver registry: name → factory. Callers pick a driver by name (from config) and
// get a SandboxDriver; nothing outside src/sandbox/ imports a driver module directly.
import { ConfigError } from '../errors.ts';
import { createDockerDriver, type DockerDriverOptions } from './docker/driver.ts';
import { createLocalDriver, type LocalDriverOptions } from './local/driver.ts';
import type { SandboxDriver } from './types.ts';

export type SandboxDriverName = SandboxDriver['name'];

/** Options for either driver; each reads the fields it knows (logger, uid, defaultTimeoutMs, ...). */
export type SandboxDriverOptions = DockerDriverOptions & LocalDriverOptions;

export type SandboxDriverFactory = (options: SandboxDriverOptions) => SandboxDriver;

export const SANDBOX_DRIVERS: ReadonlyMap<SandboxDriverName, SandboxDriverFactory> = new Map<SandboxDriverName, SandboxDriverFactory>([
  ['docker', (options) => createDockerDriver(options)],
  ['local', (options) => createLocalDriver(options)],
]);

export function createSandboxDriver(name: string, options: SandboxDriverOptions = {}): SandboxDriver {
  const factory = SANDBOX_DRIVERS.get(name as SandboxDriverName);
  if (!factory) {
    const message = `unknown sandbox driver "${name}" (known: ${[...SANDBOX_DRIVERS.keys()].join(', ')})`;
    throw new ConfigError(message, [message]);
  }
  return factory(options);
}

const shared = new Map<string, SandboxDriver>();

/**
 * The process's driver for `name` (and timeout): made once, not per run, so every run of a worker
 * shares one Docker client and one owner token, and a worker can sweep what a crashed one left.
 * The first caller's logger is the driver's.
 */
export function sharedSandboxDriver(name: string, options: SandboxDriverOptions = {}): SandboxDriver {
  const key = `${name}\0${options.defaultTimeoutMs ?? ''}`;
  let driver = shared.get(key);
  if (!driver) shared.set(key, (driver = createSandboxDriver(name, options)));
  return driver;
}

export type { DockerDriverOptions } from './docker/driver.ts';
export type { LocalDriverOptions } from './local/driver.ts';
export type * from './types.ts';
export { SANDBOX_WORKSPACE } from './types.ts';
export { DEFAULT_LIMITS, DEFAULT_TIMEOUT_MS } from './limits.ts';
export { SandboxPathError } from './paths.ts';
