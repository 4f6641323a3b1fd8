// Host-side access to workspace files for Sandbox.readFile/writeFile. The workspace's content is
// untrusted (sandboxed code writes it), so a path is accepted only when it stays inside the
// workspace after every symlink is resolved, and never touches .git. Checks and file operations
// run while no sandboxed process is alive (see serial.ts), and the opened descriptor is verified
// through /proc/self/fd as a second line of defence.
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.ts';

/** A workspace path was refused: absolute, `..`, `.git`, a symlink out of the workspace, not a file. */
export class SandboxPathError extends AppError {
  readonly path: string;
  constructor(requested: string, reason: string) {
    super('TF_SANDBOX_PATH', `refused workspace path ${JSON.stringify(requested)}: ${reason}`);
    this.path = requested;
  }
}

const MAX_READ_BYTES = 64 * 1024 * 1024;
const { O_RDONLY, O_WRONLY, O_CREAT, O_NOFOLLOW, O_NONBLOCK } = constants;

/** Splits a workspace-relative path into segments, refusing anything that could leave it. */
export function workspaceSegments(requested: string): string[] {
  if (typeof requested !== 'string' || requested.length === 0) throw new SandboxPathError(String(requested), 'empty');
  if (requested.includes('\0')) throw new SandboxPathError(requested, 'NUL byte');
  if (path.posix.isAbsolute(requested)) throw new SandboxPathError(requested, 'absolute path');
  const segments = requested.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.length === 0) throw new SandboxPathError(requested, 'names the workspace itself');
  if (segments.includes('..')) throw new SandboxPathError(requested, 'contains ..');
  // .git holds hooks and config the host's git executes: it is never read or written through here.
  if (segments.includes('.git')) throw new SandboxPathError(requested, 'inside .git');
  return segments;
}

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root + path.sep);
}

function checkResolved(root: string, resolved: string, requested: string): void {
  if (!isInside(root, resolved)) throw new SandboxPathError(requested, 'resolves outside the workspace');
  if (path.relative(root, resolved).split(path.sep).includes('.git')) {
    throw new SandboxPathError(requested, 'resolves inside .git');
  }
}

/** The descriptor really is the file we checked (no swap between check and open). */
async function verifyDescriptor(fd: number, root: string, requested: string): Promise<void> {
  const actual = await fs.readlink(`/proc/self/fd/${fd}`);
  checkResolved(root, actual, requested);
}

export async function readWorkspaceFile(workspaceDir: string, requested: string): Promise<string> {
  const root = await fs.realpath(workspaceDir);
  const segments = workspaceSegments(requested);
  // Symlinks that stay inside the workspace are fine (a repo may link README.md to docs/).
  const resolved = await fs.realpath(path.join(root, ...segments));
  checkResolved(root, resolved, requested);
  // O_NONBLOCK: a FIFO planted in the workspace must not hang the host.
  const handle = await fs.open(resolved, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  try {
    await verifyDescriptor(handle.fd, root, requested);
    const stat = await handle.stat();
    if (!stat.isFile()) throw new SandboxPathError(requested, 'not a regular file');
    if (stat.size > MAX_READ_BYTES) throw new SandboxPathError(requested, `larger than ${MAX_READ_BYTES} bytes`);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

export interface FileOwner {
  uid: number;
  gid: number;
}

/**
 * Writes content, creating missing parent directories. Refuses to write through a symlink (the
 * final component or any parent), so a link planted by sandboxed code cannot redirect the write.
 * `owner` hands new files and directories to the sandbox user so later execs can change them.
 */
export async function writeWorkspaceFile(
  workspaceDir: string,
  requested: string,
  content: string,
  owner?: FileOwner,
): Promise<void> {
  const root = await fs.realpath(workspaceDir);
  const segments = workspaceSegments(requested);
  let dir = root;
  for (const segment of segments.slice(0, -1)) {
    dir = path.join(dir, segment);
    const stat = await fs.lstat(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (stat === undefined) {
      await fs.mkdir(dir, { mode: 0o755 });
      if (owner) await fs.lchown(dir, owner.uid, owner.gid);
    } else if (stat.isSymbolicLink()) {
      throw new SandboxPathError(requested, 'a parent directory is a symlink');
    } else if (!stat.isDirectory()) {
      throw new SandboxPathError(requested, 'a parent is not a directory');
    }
  }
  const target = path.join(dir, segments.at(-1) as string);
  const existing = await fs.lstat(target).catch(() => undefined);
  if (existing?.isSymbolicLink()) throw new SandboxPathError(requested, 'is a symlink');
  if (existing && !existing.isFile()) throw new SandboxPathError(requested, 'not a regular file');
  // No O_TRUNC: the descriptor is verified before anything is changed.
  const handle = await fs.open(target, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK, 0o644);
  try {
    await verifyDescriptor(handle.fd, root, requested);
    await handle.truncate(0);
    await handle.writeFile(content, 'utf8');
    if (owner && existing === undefined) await handle.chown(owner.uid, owner.gid);
  } finally {
    await handle.close();
  }
}
