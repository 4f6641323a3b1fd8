// The dependency stage: fetch on the host (pinned, no code runs), cache, then build in the sandbox.
export { InstallError } from './errors.ts';
export { installDependencies, type InstallInput, type InstallOutcome } from './install-stage.ts';
export { runSandboxStep, sandboxCommands } from './sandbox-step.ts';
export { prune as pruneDependencyCache } from './cache.ts';
export { PYTHON_DEPS_DIR, type RegistryCredentials } from './managers.ts';
