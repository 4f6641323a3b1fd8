// What a lockfile may point at. The fetch uses the network, so it may reach only the registries the
// repository's configuration allows (npm's by default): a `resolved` URL elsewhere, a git
// dependency (npm runs a git dependency's `prepare` script to build it, which is code execution on
// the host) or a local path outside the checkout stops the install before anything is fetched.
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { InstallManager } from '../../schemas/repo-config.ts';
import { InstallError } from './errors.ts';
import { parsePoetryLock } from './poetry-lock.ts';
import type { LockGraph } from './python-lock.ts';
import { parseUvLock } from './uv-lock.ts';

export interface LockfileFacts {
  /** Packages the lockfile pins. */
  packages: number;
  /** Packages the lockfile marks as having install scripts (npm only). */
  installScripts: number;
  /** uv.lock and poetry.lock: the graph the hashed requirements are drawn from (python-lock.ts). */
  graph?: LockGraph;
}

/** Normalized prefix of an http(s) registry URL, or undefined for a path. */
export function registryPrefix(registry: string): string | undefined {
  if (!/^https?:\/\//i.test(registry)) return undefined;
  const url = new URL(registry);
  return `${url.protocol}//${url.host}${url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`}`.toLowerCase();
}

function allowedUrl(resolved: string, registries: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(resolved);
  } catch {
    return false;
  }
  const full = `${url.protocol}//${url.host}${url.pathname}`.toLowerCase();
  return registries.some((r) => {
    const prefix = registryPrefix(r);
    return prefix !== undefined && full.startsWith(prefix);
  });
}

function insideWorkspace(workspaceDir: string, rel: string): boolean {
  const abs = path.resolve(workspaceDir, rel);
  return abs === workspaceDir || abs.startsWith(`${workspaceDir}${path.sep}`);
}

/** Throws InstallError naming the first entry the policy refuses. */
function checkResolved(name: string, resolved: string, registries: readonly string[], workspaceDir: string, lockfile: string): void {
  if (/^(git\+|git:|github:|gitlab:|bitbucket:)/.test(resolved) || /\.git(#|$)/.test(resolved)) {
    throw new InstallError(`${lockfile}: ${name} is a git dependency (${resolved}); tracefix fetches only registry tarballs, because building a git dependency runs its scripts`);
  }
  if (resolved.startsWith('file:')) {
    if (!insideWorkspace(workspaceDir, resolved.slice('file:'.length))) throw new InstallError(`${lockfile}: ${name} resolves to ${resolved}, outside the repository`);
    return;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(resolved)) {
    if (!allowedUrl(resolved, registries)) {
      throw new InstallError(`${lockfile}: ${name} resolves to ${resolved}, which is not under an allowed registry (${registries.join(', ')}); add it to install.registries in .tracefix.yml`);
    }
    return;
  }
  // A bare relative path (npm workspaces' links, `resolved: "packages/a"`).
  if (!insideWorkspace(workspaceDir, resolved)) throw new InstallError(`${lockfile}: ${name} resolves to ${resolved}, outside the repository`);
}

function checkNpmLock(text: string, registries: readonly string[], dir: string, file: string): LockfileFacts {
  let lock: { packages?: Record<string, { resolved?: unknown; hasInstallScript?: unknown; link?: unknown }>; dependencies?: Record<string, unknown> };
  try {
    lock = JSON.parse(text) as typeof lock;
  } catch (error) {
    throw new InstallError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const facts: LockfileFacts = { packages: 0, installScripts: 0 };
  if (lock.packages) {
    for (const [key, entry] of Object.entries(lock.packages)) {
      if (key === '') continue;
      facts.packages++;
      if (entry.hasInstallScript === true) facts.installScripts++;
      if (typeof entry.resolved === 'string') checkResolved(key, entry.resolved, registries, dir, file);
    }
    return facts;
  }
  // lockfileVersion 1: a nested dependencies tree.
  const walk = (deps: Record<string, unknown> | undefined): void => {
    for (const [name, raw] of Object.entries(deps ?? {})) {
      const entry = raw as { resolved?: unknown; version?: unknown; dependencies?: Record<string, unknown> };
      facts.packages++;
      const resolved = typeof entry.resolved === 'string' ? entry.resolved : typeof entry.version === 'string' && /[:/]/.test(entry.version) ? entry.version : undefined;
      if (resolved) checkResolved(name, resolved, registries, dir, file);
      walk(entry.dependencies);
    }
  };
  walk(lock.dependencies);
  return facts;
}

function checkYarnLock(text: string, registries: readonly string[], dir: string, file: string): LockfileFacts {
  const facts: LockfileFacts = { packages: 0, installScripts: 0 };
  // yarn 1: `  resolved "https://…"`; yarn 2+: `  resolution: "name@npm:1.0.0"` (registry implied).
  for (const m of text.matchAll(/^\s+resolved\s+"?([^"\s]+)"?/gm)) {
    facts.packages++;
    checkResolved(m[1] ?? '', m[1] ?? '', registries, dir, file);
  }
  for (const m of text.matchAll(/^\s+resolution:\s+"?([^"\n]+)"?/gm)) {
    facts.packages++;
    const value = m[1] ?? '';
    if (/@(git|github|https?):/.test(value)) checkResolved(value, value.slice(value.indexOf('@', 1) + 1), registries, dir, file);
  }
  return facts;
}

function checkPnpmLock(text: string, registries: readonly string[], dir: string, file: string): LockfileFacts {
  let lock: { packages?: Record<string, { resolution?: { tarball?: unknown; type?: unknown; repo?: unknown }; requiresBuild?: unknown }> };
  try {
    lock = (parseYaml(text) ?? {}) as typeof lock;
  } catch (error) {
    throw new InstallError(`${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const facts: LockfileFacts = { packages: 0, installScripts: 0 };
  for (const [key, entry] of Object.entries(lock.packages ?? {})) {
    facts.packages++;
    if (entry.requiresBuild === true) facts.installScripts++;
    const r = entry.resolution ?? {};
    if (r.type === 'git' || typeof r.repo === 'string') checkResolved(key, `git+${String(r.repo)}`, registries, dir, file);
    if (typeof r.tarball === 'string') checkResolved(key, r.tarball, registries, dir, file);
  }
  return facts;
}

/** Lines of a requirements file pip would act on (continuations joined, comments dropped). */
export function requirementLines(text: string): string[] {
  return text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
    .filter((l) => l !== '');
}

const PIP_INCLUDE = /^(-r|--requirement|-c|--constraint)[\s=]+(\S+)$/;

/**
 * A requirements file may name only packages (pinned by version and optionally hashed) and other
 * requirements files inside the checkout: no editable installs or local projects (pip would build
 * them, running their setup code), no VCS or URL requirements, no index options of its own (the
 * registries come from .tracefix.yml).
 */
async function checkRequirements(readRel: (rel: string) => Promise<string | undefined>, file: string, dir: string, depth = 0): Promise<LockfileFacts> {
  const text = await readRel(file);
  if (text === undefined) throw new InstallError(`${file}: cannot read it (missing, a symlink or over 256 KiB)`);
  const facts: LockfileFacts = { packages: 0, installScripts: 0 };
  for (const line of requirementLines(text)) {
    const include = PIP_INCLUDE.exec(line);
    if (include) {
      const rel = path.posix.join(path.posix.dirname(file), include[2] ?? '');
      if (depth >= 5 || !insideWorkspace(dir, rel)) throw new InstallError(`${file}: "${line}" includes a file outside the repository or nested too deep`);
      facts.packages += (await checkRequirements(readRel, rel, dir, depth + 1)).packages;
      continue;
    }
    if (line.startsWith('-')) throw new InstallError(`${file}: "${line.slice(0, 120)}" is a pip option; tracefix installs only named packages from install.registries`);
    if (/^[.~/]|:\/\/|^\w+\+\w+:|@\s*(file|https?|git)/.test(line)) {
      throw new InstallError(`${file}: "${line.slice(0, 120)}" is a local path, URL or VCS requirement; tracefix installs only named packages (pip would build a local project, running its code)`);
    }
    facts.packages++;
  }
  return facts;
}

export async function checkLockfile(input: {
  manager: Exclude<InstallManager, 'none'>;
  lockfile: string;
  registries: readonly string[];
  workspaceDir: string;
  readRel: (rel: string) => Promise<string | undefined>;
}): Promise<LockfileFacts> {
  const { manager, lockfile, registries, workspaceDir: dir } = input;
  if (manager === 'pip') return checkRequirements(input.readRel, lockfile, dir);
  const text = await input.readRel(lockfile);
  if (text === undefined) throw new InstallError(`${lockfile}: cannot read it (missing, a symlink or over its size cap)`);
  if (manager === 'uv' || manager === 'poetry') {
    const pyproject = path.posix.join(path.posix.dirname(lockfile), 'pyproject.toml');
    const graph = manager === 'uv' ? parseUvLock(text, lockfile, dir) : parsePoetryLock(text, lockfile, { text: await input.readRel(pyproject), file: pyproject });
    return { packages: graph.packages.filter((p) => !p.local).length, installScripts: 0, graph };
  }
  if (manager === 'npm') return checkNpmLock(text, registries, dir, lockfile);
  if (manager === 'yarn') return checkYarnLock(text, registries, dir, lockfile);
  return checkPnpmLock(text, registries, dir, lockfile);
}
