// Shared setup for the sandbox integration suites: real Docker, real bubblewrap, real git.
import Docker from 'dockerode';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { sandboxImage } from '../../../src/sandbox/images.ts';
import type { Sandbox, SandboxCreateOptions, SandboxDriver } from '../../../src/sandbox/types.ts';

export const docker = new Docker();
export const NODE_IMAGE = sandboxImage('node');
export const PYTHON_IMAGE = sandboxImage('python');

export interface Availability {
  /** Run the suite. */
  run: boolean;
  /** A skip message (never set under CI: there a missing Docker must fail). */
  skip?: string;
  /** Why the suite cannot work; a CI run reports it as a failure. */
  problem?: string;
}

/** Docker and the current sandbox image. Missing Docker skips locally and fails under CI=true. */
export async function dockerAvailability(): Promise<Availability> {
  try {
    await docker.ping();
  } catch (error) {
    const problem = `Docker is not available (${(error as Error).message}); run .ci/docker.sh`;
    return process.env.CI ? { run: true, problem } : { run: false, skip: problem };
  }
  try {
    await docker.getImage(NODE_IMAGE).inspect();
  } catch {
    // Docker is here but the image is not: that is a setup failure, not a reason to skip.
    return { run: true, problem: `sandbox image ${NODE_IMAGE} is missing; run sandbox-images/build.sh` };
  }
  return { run: true };
}

export function bwrapAvailability(): Availability {
  try {
    execFileSync('bwrap', ['--version'], { stdio: 'ignore' });
    return { run: true };
  } catch {
    const problem = 'bubblewrap is not installed (apt-get install bubblewrap; .ci/docker.sh does it)';
    return process.env.CI ? { run: true, problem } : { run: false, skip: problem };
  }
}

/** A git repository with one commit: a tracked file, a subdirectory, and a pre-commit hook. */
export function makeWorkspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracefix-sbx-test-'));
  fs.writeFileSync(path.join(dir, 'README.md'), 'hello\n');
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'src', 'index.js'), 'export const answer = 42;\n');
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=test', ...args], { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  git('add', '.');
  git('commit', '-qm', 'init');
  fs.writeFileSync(path.join(dir, '.git', 'hooks', 'pre-commit'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  return dir;
}

export function removeWorkspace(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Sandbox containers carrying this test label (all states). */
export async function containersLabelled(testLabel: string): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: ['org.tracefix.sandbox=1', `org.tracefix.test=${testLabel}`] } });
}

export interface SuiteTarget {
  kind: 'docker' | 'local';
  driver: () => SandboxDriver;
  image: string;
}

/**
 * Creates a sandbox over a fresh workspace, runs fn, destroys both, and (docker) asserts that no
 * container of this test is left. Each test has its own label, so tests may run in parallel and
 * still check their own cleanup exactly.
 */
export async function withSandbox(
  target: SuiteTarget,
  options: Partial<SandboxCreateOptions>,
  fn: (sandbox: Sandbox, workspaceDir: string) => Promise<void>,
): Promise<void> {
  const workspaceDir = makeWorkspace();
  const testLabel = randomUUID();
  const driver = target.driver();
  let sandbox: Sandbox | undefined;
  try {
    sandbox = await driver.create({
      image: target.image,
      workspaceDir,
      ...options,
      labels: { ...options.labels, 'org.tracefix.test': testLabel },
    });
    await fn(sandbox, workspaceDir);
  } finally {
    await sandbox?.destroy();
    removeWorkspace(workspaceDir);
    if (target.kind === 'docker') {
      assert.deepEqual((await containersLabelled(testLabel)).map((c) => c.Names), [], 'sandbox container left behind');
    }
  }
}
