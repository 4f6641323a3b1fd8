// The sandbox the benchmark runs the LLM engine in: the configured driver (docker by default,
// or local bubblewrap), probed once with a trivial command so a machine without one reports the
// engine as not measured instead of failing every bug.
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../../src/config.ts';
import { createSandboxDriver } from '../../src/sandbox/api.ts';
import { sandboxImage } from '../../src/sandbox/images.ts';
import type { SandboxFactory } from './llm-pipeline.ts';

/** `runner: false`: every docker command a `docker exec` (the before of issue 18's speed work). */
export async function benchSandboxes(config: Config, options: { runner?: boolean } = {}): Promise<{ create: SandboxFactory; driver: string } | { unavailable: string }> {
  const driver = createSandboxDriver(config.sandbox.driver, options.runner === false ? { runner: false } : {});
  const create: SandboxFactory = async (workDir, runtime, env) => {
    // The sandbox user must reach the work directory the harness made for the bug.
    await chmod(path.dirname(workDir), 0o711).catch(() => undefined);
    return driver.create({ image: sandboxImage(runtime), workspaceDir: workDir, limits: config.sandbox.limits, labels: { 'org.tracefix.bench': 'repair' }, ...(env ? { env } : {}) });
  };
  const probe = await mkdtemp(path.join(os.tmpdir(), 'tracefix-bench-probe-'));
  try {
    const dir = path.join(probe, 'repo');
    await mkdir(dir);
    for (const runtime of ['python', 'node'] as const) {
      const sandbox = await create(dir, runtime);
      try {
        const r = await sandbox.exec(['true'], { timeoutMs: 60_000 });
        if (r.exitCode !== 0) return { unavailable: `the ${driver.name} sandbox (${runtime}) could not run a command: ${r.stderr.trim().slice(0, 200)}` };
      } finally {
        await sandbox.destroy();
      }
    }
    return { create, driver: driver.name };
  } catch (error) {
    return { unavailable: `the ${driver.name} sandbox: ${(error as Error).message.slice(0, 300)}` };
  } finally {
    await rm(probe, { recursive: true, force: true });
  }
}
