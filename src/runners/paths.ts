// Paths reported by frameworks are absolute inside the sandbox (or file:// URLs); results carry
// workspace-relative POSIX paths so they mean the same thing on the host and in every sandbox.
import path from 'node:path';

/** Workspace-relative path, or undefined when `reported` lies outside the workspace root. */
export function toWorkspacePath(reported: string, root: string): string | undefined {
  let p = reported;
  if (p.startsWith('file://')) {
    try {
      p = decodeURIComponent(new URL(p).pathname);
    } catch {
      return undefined;
    }
  }
  // Vitest appends a cache-busting query to test file URLs.
  p = p.replace(/\?.*$/, '');
  if (!path.posix.isAbsolute(p)) {
    const rel = path.posix.normalize(p);
    return rel.startsWith('../') || rel === '..' ? undefined : rel.replace(/^\.\//, '');
  }
  const rel = path.posix.relative(root, p);
  if (rel === '' || rel.startsWith('../') || rel === '..' || path.posix.isAbsolute(rel)) return undefined;
  return rel;
}

/** Like toWorkspacePath, but keeps an outside path as reported (a test file should never be outside). */
export function displayPath(reported: string, root: string): string {
  return toWorkspacePath(reported, root) ?? reported;
}

/** True for dependency directories whose code is never the repository's own. */
export function isDependencyPath(rel: string): boolean {
  return /(^|\/)(node_modules|site-packages|dist-packages|\.venv|venv|__pypackages__)\//.test(rel);
}
