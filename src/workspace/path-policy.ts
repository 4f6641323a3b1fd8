// Which paths a patch may touch. Used by validation (every file of a candidate patch) and by the
// agent's edit tool (before a write). Denials win over allowances; built-in denials (CI config,
// lockfiles, .git, the repo config itself) cannot be lifted by the repository.
import path from 'node:path';
import picomatch from 'picomatch';
import type { RepoConfig } from '../../schemas/repo-config.ts';

export type PathDecision = { allowed: true; path: string } | { allowed: false; path: string; reason: string };

export interface PathCheckOptions {
  /** Test files that existed at the checkout commit: a patch may add tests, not edit these. */
  existingTests?: Iterable<string>;
}

interface Matchers {
  deny: { pattern: string; match: (p: string) => boolean }[];
  allow: ((p: string) => boolean) | undefined;
  tests: (p: string) => boolean;
}

const cache = new WeakMap<RepoConfig, Matchers>();

function matchers(config: RepoConfig): Matchers {
  let m = cache.get(config);
  if (!m) {
    m = {
      // Case-insensitive: `.GitHub/workflows` must not slip past `.github/**` on a case-folding disk.
      deny: config.paths.deny.map((pattern) => ({ pattern, match: picomatch(pattern, { dot: true, nocase: true }) })),
      allow: config.paths.allow.length ? picomatch(config.paths.allow, { dot: true }) : undefined,
      tests: config.test.files.length ? picomatch(config.test.files, { dot: true }) : () => false,
    };
    cache.set(config, m);
  }
  return m;
}

/** Workspace-relative POSIX form of `p`, or undefined when it leaves the workspace. */
export function normalizeWorkspacePath(p: string): string | undefined {
  if (!p || p.includes('\0') || path.posix.isAbsolute(p)) return undefined;
  const n = path.posix.normalize(p).replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  if (n === '' || n === '.' || n === '..' || n.startsWith('../')) return undefined;
  return n;
}

export function checkPath(config: RepoConfig, p: string, options: PathCheckOptions = {}): PathDecision {
  const rel = normalizeWorkspacePath(p);
  if (!rel) return { allowed: false, path: p, reason: 'not a path inside the workspace' };
  if (rel === '.git' || rel.startsWith('.git/') || rel.split('/').includes('.git')) {
    return { allowed: false, path: rel, reason: 'git metadata' };
  }
  const m = matchers(config);
  const denied = m.deny.find((d) => d.match(rel));
  if (denied) return { allowed: false, path: rel, reason: `matches the denied pattern "${denied.pattern}"` };
  if (options.existingTests) {
    for (const t of options.existingTests) {
      if (normalizeWorkspacePath(t) === rel) return { allowed: false, path: rel, reason: 'an existing test file' };
    }
  }
  if (m.allow && !m.allow(rel)) return { allowed: false, path: rel, reason: 'outside the allowed paths' };
  return { allowed: true, path: rel };
}

export function isPathAllowed(config: RepoConfig, p: string, options: PathCheckOptions = {}): boolean {
  return checkPath(config, p, options).allowed;
}

/** The test files among `files` (e.g. WorkspaceManager.listFiles at the checkout commit). */
export function findTestFiles(config: RepoConfig, files: Iterable<string>): string[] {
  const m = matchers(config);
  return [...files].filter((f) => m.tests(f));
}
