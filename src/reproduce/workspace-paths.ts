// Production paths → workspace files. A production frame names a file as the deployment saw it
// (/app/src/cart.js, file:///srv/app/app/orders.py, webpack:///./src/x.js, C:\build\src\x.js); the
// workspace holds `src/cart.js`. Neither side knows the other's root, so the file is the one whose
// path shares the longest run of trailing segments with the production path.
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Sandbox } from '../sandbox/types.ts';

const LIBRARY_SEGMENTS = new Set(['node_modules', 'site-packages', 'dist-packages']);

/** Path segments of a production path: scheme, host, query and hash dropped, `./` removed. */
export function pathSegments(raw: string): string[] {
  let p = raw.trim();
  // Bundler schemes name project-relative sources; `webpack://<project>/./src/x.js` included.
  p = p.replace(/^(webpack|app|webpack-internal):\/\/[^/]*\/?/i, '');
  p = p.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').replace(/[?#].*$/, '');
  try {
    p = decodeURIComponent(p);
  } catch {
    // Not URI-encoded: keep as is.
  }
  p = p.replaceAll('\\', '/').replace(/^[A-Za-z]:\//, '/');
  return p.split('/').filter((s) => s !== '' && s !== '.');
}

function sharedSuffix(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

/**
 * The workspace file a production path names, or undefined. Library code (node_modules,
 * site-packages) never maps: a repository file of the same name is not that code. Among the files
 * sharing the longest suffix, one the production path covers whole wins (`/app/index.js` is
 * `index.js`, not `src/index.js`); several that tie otherwise are ambiguous and map to nothing,
 * so the answer never depends on listing order.
 */
export function mapToWorkspace(productionPath: string, workspaceFiles: Iterable<string>): string | undefined {
  const segments = pathSegments(productionPath);
  if (segments.length === 0 || segments.some((s) => LIBRARY_SEGMENTS.has(s))) return undefined;
  const base = segments.at(-1) as string;
  let shared = 0;
  let best: string[] = [];
  for (const file of workspaceFiles) {
    if (!file.endsWith(base)) continue;
    const n = sharedSuffix(segments, file.split('/'));
    if (n === 0 || n < shared) continue;
    if (n > shared) {
      shared = n;
      best = [];
    }
    best.push(file);
  }
  if (best.length <= 1) return best[0];
  const whole = best.filter((f) => f.split('/').length === shared);
  return whole.length === 1 ? whole[0] : undefined;
}

/** True when two workspace-relative (or normalized) paths name the same file: equal, or one is a
 * segment-aligned suffix of the other (an unmapped production path against a workspace path). */
export function samePath(a: string, b: string): boolean {
  if (a === b) return true;
  const [x, y] = [pathSegments(a), pathSegments(b)];
  const shared = sharedSuffix(x, y);
  return shared > 0 && shared === Math.min(x.length, y.length);
}

const SKIP_DIRS_LIST = ['.git', 'node_modules', '.venv', 'venv', '__pycache__', '.tox', '.mypy_cache', '.pytest_cache', 'dist', 'build', 'coverage', '.next'];
const SKIP_DIRS = new Set(SKIP_DIRS_LIST);

/**
 * Workspace-relative POSIX paths of the checkout's files (dependency and tool directories
 * skipped, symlinks not followed, capped). Read on the host: listing names runs no repository code.
 */
export async function listWorkspaceFiles(dir: string, limit = 20_000): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(path.join(dir, rel), { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (out.length >= limit) return;
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) await walk(child);
      } else if (e.isFile()) {
        out.push(child);
      }
    }
  };
  if ((await lstat(dir)).isDirectory()) await walk('');
  return out;
}

/** The same listing from inside the sandbox (`find`), for callers that have no host path. */
export async function listSandboxFiles(sandbox: Sandbox, limit = 20_000): Promise<string[]> {
  const prune = SKIP_DIRS_LIST.map((d) => `-name '${d}'`).join(' -o ');
  const r = await sandbox.exec(['sh', '-c', `find . \\( ${prune} \\) -prune -o -type f -print | head -n ${limit}`], { timeoutMs: 60_000 });
  if (r.exitCode !== 0) throw new Error(`cannot list the workspace: ${r.stderr.trim().slice(0, 300)}`);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((f) => f.replace(/^\.\//, ''))
    .sort();
}
