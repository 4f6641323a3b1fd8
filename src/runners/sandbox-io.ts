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

/** A fresh report directory's path; `inFreshDir` creates it in the same exec as the command. */
export function tempDirPath(label: string): string {
  return `/tmp/tracefix-${label}-${randomUUID()}`;
}

/** Exit status of `inFreshDir` when the directory cannot be made (the command did not run). */
export const NO_TEMP_DIR_EXIT = 125;

/**
 * `argv` run after creating `dir` (mode 700), in one exec: every exec costs 160-200 ms on Docker,
 * and a candidate's validation runs tests several times.
 */
export function inFreshDir(dir: string, argv: readonly string[]): string[] {
  return ['sh', '-c', `mkdir -p -m 700 -- "$1" || exit ${NO_TEMP_DIR_EXIT}; shift; exec "$@"`, 'sh', dir, ...argv];
}

// A report up to this size is read and its directory removed in one exec; a larger one stays for
// a chunked read (readSandboxFile). Far inside the default 1 MiB output cap.
const READ_AND_REMOVE_BYTES = 64 * 1024;
const KEPT_EXIT = 3;

/**
 * The reports of a run, then their directory removed: one exec for the usual single report;
 * otherwise (a large report, several) each read as readSandboxFile does, then the directory removed.
 */
export async function readReportsAndRemove(sandbox: Sandbox, reports: readonly string[], dir: string): Promise<Record<string, string | undefined>> {
  if (!dir.startsWith('/tmp/tracefix-')) throw new Error(`Refusing to remove ${dir}`);
  const files: Record<string, string | undefined> = {};
  const [only] = reports;
  if (reports.length === 1 && only) {
    // Missing: removed, exit 1. Too large: kept, exit 3. Otherwise printed, then removed.
    const script = `[ -f "$1" ] || { rm -rf -- "$2"; exit 1; }; [ "$(wc -c < "$1")" -le "$3" ] || exit ${KEPT_EXIT}; cat -- "$1" || exit 1; rm -rf -- "$2"`;
    const r = await sandbox.exec(['sh', '-c', script, 'sh', only, dir, String(READ_AND_REMOVE_BYTES)], { timeoutMs: 60_000 });
    if (r.exitCode !== KEPT_EXIT) {
      // Only a sandbox whose output cap is below READ_AND_REMOVE_BYTES cuts it, and the file is gone.
      if (r.truncated) throw new Error(`Cannot read ${only} from the sandbox: its output cap is below ${READ_AND_REMOVE_BYTES} bytes`);
      files[only] = r.exitCode === 0 ? r.stdout : undefined;
      if (r.exitCode !== 0) await removeDir(sandbox, dir);
      return files;
    }
  }
  try {
    for (const report of reports) files[report] = await readSandboxFile(sandbox, report);
  } finally {
    await removeDir(sandbox, dir);
  }
  return files;
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
