// Shared setup of the validation tests: a fixture repository committed as the incident's
// checkout, its incident reproduced for real in a sandbox of the given target, the suite baseline
// and the validator; patches made by editing the copy's files; assertions on sandbox.diff().
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RepoConfig } from '../../../schemas/repo-config.ts';
import type { Candidate, Reproduced } from '../../../schemas/run.ts';
import type { CrashSite } from '../../../src/repair/guards/types.ts';
import type { ProposedPatch, SuiteBaseline, ValidationContext } from '../../../src/repair/types.ts';
import { createValidator, suiteBaseline } from '../../../src/repair/validate/index.ts';
import { incidentEnv, listWorkspaceFiles, reproduce } from '../../../src/reproduce/index.ts';
import type { Sandbox } from '../../../src/sandbox/types.ts';
import { loadRepoConfig } from '../../../src/workspace/repo-config.ts';
import { fixtureBundle } from '../../unit/reproduce/helpers.ts';
import { copyRepo, KNOWN_FIXES, type RepoCopy, type SandboxTarget } from '../reproduce/helpers.ts';

export interface Env {
  repo: RepoCopy;
  sandbox: Sandbox;
  config: RepoConfig;
  reproduction: Reproduced;
  baseline: SuiteBaseline;
  ctx: ValidationContext;
  validate: (patch: ProposedPatch) => Promise<Candidate>;
}

export interface SetUpOptions {
  /** Gate runs (reproduction and validation); most cases use 1 to keep the run time modest. */
  flakeReruns?: number;
  config?: Partial<RepoConfig>;
  /** Changes to the copy before it is committed (tracked at the "incident's commit"). */
  prepare?: (dir: string) => Promise<void>;
}

export function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=tracefix-test', '-c', 'user.email=test@tracefix.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, stdio: 'ignore' });
}

/** A file's content at the incident's commit. */
export function atCommit(env: Env, file: string): string {
  return execFileSync('git', ['show', `HEAD:${file}`], { cwd: env.repo.dir, encoding: 'utf8' });
}

export async function setUp(target: SandboxTarget, name: string, runtime: 'node' | 'python', options: SetUpOptions = {}): Promise<Env> {
  const repo = await copyRepo(name);
  await options.prepare?.(repo.dir);
  // A checkout at a commit, as the workspace manager makes one: sandbox.diff() is against it.
  git(repo.dir, 'init', '-q');
  git(repo.dir, 'add', '-A');
  git(repo.dir, 'commit', '-q', '-m', 'incident commit');
  const sandbox = await target.create(repo.dir, runtime);
  const config: RepoConfig = { ...(await loadRepoConfig(repo.dir)), flakeReruns: options.flakeReruns ?? 1, ...options.config };
  const trackedFiles = await listWorkspaceFiles(repo.dir);
  const bundle = await fixtureBundle(name);
  const result = await reproduce({ bundle, workspaceDir: repo.dir, sandbox, repoConfig: config, workspaceFiles: trackedFiles });
  assert.equal(result.status, 'reproduced', JSON.stringify(result, null, 2));
  const reproduction = result as Reproduced;
  const env = incidentEnv(bundle);
  const baseline = await suiteBaseline({ sandbox, repoConfig: config, reproduction, env });
  const frame = reproduction.signature.frame;
  const crashSite: CrashSite | undefined = frame?.line ? { file: frame.file, line: frame.line, function: frame.function } : undefined;
  const ctx: ValidationContext = { sandbox, repoConfig: config, reproduction, baseline, trackedFiles, ...(crashSite ? { crashSite } : {}), env };
  return { repo, sandbox, config, reproduction, baseline, ctx, validate: createValidator(ctx) };
}

export async function tearDown(env: Env | undefined): Promise<void> {
  await env?.sandbox.destroy();
  await env?.repo.cleanup();
}

let serial = 0;
/** A patch that edits `file` of the copy (plus any `extra` files given whole). */
export async function patch(env: Env, file: string, edit: (text: string) => string, extra: Record<string, string> = {}): Promise<ProposedPatch> {
  const text = await readFile(path.join(env.repo.dir, file), 'utf8');
  const next = edit(text);
  return {
    id: `test-${++serial}`,
    engine: 'templates',
    description: `test patch ${serial}`,
    location: { file, line: 1 },
    files: new Map([[file, next], ...Object.entries(extra)]),
    locationScore: 0.5,
  };
}

export function knownFix(name: string): (text: string) => string {
  const fix = KNOWN_FIXES[name]!;
  return (text) => {
    assert.ok(text.includes(fix.from));
    return text.replace(fix.from, fix.to);
  };
}

export function names(c: Candidate): string[] {
  return c.checks.map((k) => `${k.name}:${k.ok ? 'ok' : 'failed'}`);
}

/** The files sandbox.diff() names. */
export async function diffFiles(env: Env): Promise<string[]> {
  const diff = await env.sandbox.diff();
  return [...diff.matchAll(/^diff --git a\/(\S+) b\//gm)].map((m) => m[1] as string).sort();
}

/** sandbox.diff() names only these files (the reproduction test, and whatever the case expects). */
export async function assertDiffFiles(env: Env, expected: string[]): Promise<void> {
  assert.deepEqual(await diffFiles(env), [...expected].sort(), await env.sandbox.diff());
}
