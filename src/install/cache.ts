// The dependency cache: what a fetch produced (node_modules, or pip's target directory), keyed by
// the lockfile's hash, the package manager and runtime, and the registries; so the second run of a
// repository at the same lockfile fetches nothing and only copies.
//
//   <dataDir>/deps/<key>/tree/        the fetched tree, owned by tracefix (never by the sandbox uid)
//   <dataDir>/deps/<key>/meta.json    what it holds; its mtime is the entry's last use
//   <dataDir>/deps/.tmp-*/            fetches in progress (and their private HOME)
//
// Entries are immutable: a run gets a copy (reflinked where the filesystem can), never the cache's
// own files, so nothing a sandbox does to its node_modules reaches the next run. Bounded by age
// (unused longer than maxAgeMs) and total size (least recently used first) after each store.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CacheKeyInput {
  manager: string;
  /** sha256 of each file the install is pinned by, in order. */
  lockHashes: readonly string[];
  /** Package manager and runtime versions (npm 11.1.0, node v24.1.0, the sandbox image). */
  runtime: readonly string[];
  registries: readonly string[];
}

export interface CacheMeta {
  key: string;
  manager: string;
  runtime: readonly string[];
  bytes: number;
  createdAt: string;
}

export interface CacheBounds {
  maxBytes: number;
  maxAgeMs: number;
}

export function cacheKey(input: CacheKeyInput): string {
  return createHash('sha256').update(JSON.stringify({ v: 1, ...input })).digest('hex').slice(0, 32);
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function cacheRoot(dataDir: string): string {
  return path.join(dataDir, 'deps');
}

/** A fresh private directory for one fetch, inside the cache root so a rename can publish it. */
export async function scratchDir(dataDir: string): Promise<string> {
  const root = cacheRoot(dataDir);
  await mkdir(root, { recursive: true, mode: 0o711 });
  const dir = path.join(root, `.tmp-${randomBytes(6).toString('hex')}`);
  await mkdir(dir, { mode: 0o711 });
  return dir;
}

/** Copies a tree: reflinks where the filesystem can, owned by tracefix's own uid. */
export async function copyTree(from: string, to: string): Promise<void> {
  await mkdir(path.dirname(to), { recursive: true });
  await run('cp', ['-R', '--no-dereference', '--preserve=mode,timestamps,links', '--reflink=auto', from, to], { maxBuffer: 1 << 20 });
}

async function treeBytes(dir: string): Promise<number> {
  const { stdout } = await run('du', ['-sb', dir]);
  return Number(stdout.split(/\s/)[0]) || 0;
}

/** The entry's tree when it exists, touching its last use; undefined on a miss. */
export async function lookup(dataDir: string, key: string): Promise<{ tree: string; meta: CacheMeta } | undefined> {
  const dir = path.join(cacheRoot(dataDir), key);
  try {
    const meta = JSON.parse(await readFile(path.join(dir, 'meta.json'), 'utf8')) as CacheMeta;
    const now = new Date();
    await utimes(path.join(dir, 'meta.json'), now, now);
    return { tree: path.join(dir, 'tree'), meta };
  } catch {
    return undefined;
  }
}

/**
 * Publishes `tree` (a directory inside a scratch dir) as the entry `key`. A concurrent run that
 * published the same key first wins; this copy is dropped. Returns the entry's size.
 */
export async function store(dataDir: string, key: string, tree: string, meta: Omit<CacheMeta, 'key' | 'bytes' | 'createdAt'>): Promise<number> {
  const root = cacheRoot(dataDir);
  const staging = path.join(root, `.tmp-${randomBytes(6).toString('hex')}`);
  await mkdir(staging, { recursive: true, mode: 0o711 });
  try {
    await copyTree(tree, path.join(staging, 'tree'));
    const bytes = await treeBytes(path.join(staging, 'tree'));
    const full: CacheMeta = { key, ...meta, bytes, createdAt: new Date().toISOString() };
    await writeFile(path.join(staging, 'meta.json'), `${JSON.stringify(full, null, 2)}\n`);
    await rename(staging, path.join(root, key)).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    });
    return bytes;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * Removes entries unused for longer than maxAgeMs, then the least recently used until the total
 * is under maxBytes, and scratch directories older than a day (a crashed fetch). Entries are
 * renamed away before deletion, so a run never restores from a half-deleted one.
 */
export async function prune(dataDir: string, bounds: CacheBounds, now = Date.now()): Promise<{ removed: string[]; bytes: number }> {
  const root = cacheRoot(dataDir);
  const entries: { name: string; usedMs: number; bytes: number }[] = [];
  const removed: string[] = [];
  const drop = async (name: string): Promise<void> => {
    const trash = path.join(root, `.tmp-trash-${randomBytes(6).toString('hex')}`);
    await rename(path.join(root, name), trash).then(() => rm(trash, { recursive: true, force: true }), () => undefined);
    removed.push(name);
  };
  for (const name of await readdir(root).catch(() => [] as string[])) {
    if (name.startsWith('.tmp-')) {
      const st = await lstat(path.join(root, name)).catch(() => undefined);
      if (st && now - st.mtimeMs > 86_400_000) await rm(path.join(root, name), { recursive: true, force: true });
      continue;
    }
    try {
      const metaPath = path.join(root, name, 'meta.json');
      const meta = JSON.parse(await readFile(metaPath, 'utf8')) as CacheMeta;
      entries.push({ name, usedMs: (await stat(metaPath)).mtimeMs, bytes: meta.bytes });
    } catch {
      await drop(name); // not an entry: a leftover of an older layout or a broken store
    }
  }
  entries.sort((a, b) => b.usedMs - a.usedMs);
  let total = 0;
  for (const e of entries) {
    if (now - e.usedMs > bounds.maxAgeMs || total + e.bytes > bounds.maxBytes) await drop(e.name);
    else total += e.bytes;
  }
  return { removed, bytes: total };
}
