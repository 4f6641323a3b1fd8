// Small file operations inside a sandbox through exec: reports live in the sandbox's /tmp (never in
// the workspace, whose diff is the patch), and Sandbox.readFile only reaches the workspace.
import { randomUUID } from 'node:crypto';
import type { Sandbox } from '../sandbox/types.ts';

/** Environment for every test command: non-interactive, no colour codes in parsed text. */
export const RUN_ENV: Readonly<Record<string, string>> = { CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' };

const MAX_FILE_BYTES = 64 * 1024 * 1024;
const roots = new WeakMap<Sandbox, string>();

/** The workspace's absolute path as the sandbox's processes see it (symlinks resolved). */
export async function workspaceRoot(sandbox: Sandbox): Promise<string> {
  const known = roots.get(sandbox);
  if (known) return known;
  const r = await sandbox.exec(['sh', '-c', 'pwd -P'], { timeoutMs: 30_000 });
  const root = r.stdout.trim();
  if (r.exitCode !== 0 || !root.startsWith('/')) throw new Error(`Cannot find the sandbox workspace root: ${r.stderr.trim() || r.stdout.trim()}`);
  roots.set(sandbox, root);
  return root;
}

export async function makeTempDir(sandbox: Sandbox, label: string): Promise<string> {
  const dir = `/tmp/tracefix-${label}-${randomUUID()}`;
  const r = await sandbox.exec(['mkdir', '-p', '-m', '700', dir], { timeoutMs: 30_000 });
  if (r.exitCode !== 0) throw new Error(`Cannot create ${dir} in the sandbox (a writable /tmp is required): ${r.stderr.trim()}`);
  return dir;
}

export async function removeDir(sandbox: Sandbox, dir: string): Promise<void> {
  if (!dir.startsWith('/tmp/tracefix-')) throw new Error(`Refusing to remove ${dir}`);
  await sandbox.exec(['rm', '-rf', dir], { timeoutMs: 60_000 }).catch(() => undefined);
}

/**
 * Reads an absolute path in the sandbox; undefined when it does not exist. Past the driver's output
 * cap, reads again in base64 chunks (a plain split could cut a UTF-8 character in two).
 */
export async function readSandboxFile(sandbox: Sandbox, path: string): Promise<string | undefined> {
  const r = await sandbox.exec(['cat', '--', path], { timeoutMs: 60_000 });
  if (r.exitCode !== 0) return undefined;
  if (!r.truncated) return r.stdout;
  // base64 grows 4/3 plus line breaks: stay well inside the cap the first read ran into.
  const chunk = Math.max(256, Math.floor((Buffer.byteLength(r.stdout) * 3) / 4 / 1.4));
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < MAX_FILE_BYTES) {
    const c = await sandbox.exec(
      ['sh', '-c', 'tail -c +"$1" -- "$2" | head -c "$3" | base64', 'sh', String(offset + 1), path, String(chunk)],
      { timeoutMs: 60_000 },
    );
    if (c.exitCode !== 0 || c.truncated) throw new Error(`Cannot read ${path} from the sandbox: ${c.stderr.trim()}`);
    const bytes = Buffer.from(c.stdout, 'base64');
    parts.push(bytes);
    offset += bytes.length;
    if (bytes.length < chunk) break;
  }
  return Buffer.concat(parts).toString('utf8');
}

/** Versions of packages installed in the workspace's node_modules (absent ones omitted). */
export async function probePackages(sandbox: Sandbox, names: readonly string[] = []): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  for (const name of names) {
    try {
      const pkg = JSON.parse(await sandbox.readFile(`node_modules/${name}/package.json`)) as { version?: unknown };
      found[name] = typeof pkg.version === 'string' ? pkg.version : '0.0.0';
    } catch {
      // Not installed.
    }
  }
  return found;
}
