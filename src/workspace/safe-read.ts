// Reading small files out of a checkout on the host. The checkout is a stranger's repository: a
// `.tracefix.yml` that is a symlink to /etc/passwd must not be read (and echoed in an error), and a
// huge file must not be slurped.
import { constants } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import path from 'node:path';

const MAX_BYTES = 256 * 1024;

/** The file's text, or undefined when it is absent, not a regular file, a symlink, or too large. */
export async function readSmallFile(dir: string, rel: string, maxBytes = MAX_BYTES): Promise<string | undefined> {
  const file = path.join(dir, rel);
  const info = await lstat(file).catch(() => undefined);
  if (!info?.isFile() || info.size > maxBytes) return undefined;
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => undefined);
  if (!handle) return undefined;
  try {
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

const SKIP_DIRS = new Set(['.git', 'node_modules', '.tracefix-deps', '.venv', 'venv', '__pycache__', 'dist', 'build', '.tox']);

/** Workspace-relative paths of files in the top `depth` directory levels (symlinks not followed). */
export async function listTopFiles(dir: string, depth = 2): Promise<Set<string>> {
  const out = new Set<string>();
  async function walk(rel: string, level: number): Promise<void> {
    const entries = await readdir(path.join(dir, rel), { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isFile()) out.add(p);
      else if (e.isDirectory() && level < depth && !SKIP_DIRS.has(e.name)) await walk(p, level + 1);
    }
  }
  await walk('', 1);
  return out;
}
