// Sandbox image names and tags, and `tracefix images build`. The tag hashes the build inputs
// exactly as sandbox-images/build.sh does (sha256 over `sha256sum` lines of a fixed file list), so
// the service asks for the image the current checkout defines, and a changed Dockerfile means a
// new tag rather than a stale image.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type SandboxRuntime = 'node' | 'python';

export const SANDBOX_IMAGE_REPOSITORIES: Readonly<Record<SandboxRuntime, string>> = Object.freeze({
  node: 'tracefix/sandbox-node',
  python: 'tracefix/sandbox-python',
});

/** sandbox-images/ of this checkout. */
export const SANDBOX_IMAGES_DIR = fileURLToPath(new URL('../../sandbox-images/', import.meta.url));

/** Mirrors `inputs=(...)` in build.sh; keep the two in the same order. */
const TAG_INPUTS = ['build.sh', 'versions.env', 'node/Dockerfile', 'python/Dockerfile'];

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

let cachedTag: string | undefined;

/** The tag build.sh gives images built from the current sandbox-images/ definition. */
export function sandboxImageTag(dir: string = SANDBOX_IMAGES_DIR): string {
  if (dir === SANDBOX_IMAGES_DIR && cachedTag) return cachedTag;
  const lines = TAG_INPUTS.map((file) => `${sha256(fs.readFileSync(path.join(dir, file)))}  ${file}\n`).join('');
  const tag = sha256(lines).slice(0, 12);
  if (dir === SANDBOX_IMAGES_DIR) cachedTag = tag;
  return tag;
}

/** e.g. `tracefix/sandbox-node:2306591927a1`. */
export function sandboxImage(runtime: SandboxRuntime, tag: string = sandboxImageTag()): string {
  return `${SANDBOX_IMAGE_REPOSITORIES[runtime]}:${tag}`;
}

/** versions.env as a record (NODE_VERSION, NPM_VERSION, DEBIAN_*, SANDBOX_UID). */
export function sandboxImageVersions(dir: string = SANDBOX_IMAGES_DIR): Record<string, string> {
  const entries = fs
    .readFileSync(path.join(dir, 'versions.env'), 'utf8')
    .split('\n')
    .map((line) => /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1] as string, m[2] as string]);
  return Object.fromEntries(entries);
}

export interface BuildImagesOptions {
  /** FROM the official images instead of the offline Debian base (needs a container registry). */
  online?: boolean;
  /** Rebuild even when images with the current tag exist. */
  force?: boolean;
  /** Receives build.sh's output as it comes (progress goes to stderr). */
  onOutput?: (text: string, stream: 'stdout' | 'stderr') => void;
  signal?: AbortSignal;
}

/** Runs sandbox-images/build.sh (what `tracefix images build` calls); resolves with the tag. */
export function buildSandboxImages(options: BuildImagesOptions = {}): Promise<string> {
  const args = [path.join(SANDBOX_IMAGES_DIR, 'build.sh')];
  if (options.online) args.push('--online');
  if (options.force) args.push('--force');
  return new Promise((resolve, reject) => {
    const child = spawn('bash', args, { stdio: ['ignore', 'pipe', 'pipe'], signal: options.signal });
    child.stdout.on('data', (chunk: Buffer) => options.onOutput?.(chunk.toString('utf8'), 'stdout'));
    child.stderr.on('data', (chunk: Buffer) => options.onOutput?.(chunk.toString('utf8'), 'stderr'));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve(sandboxImageTag());
      else reject(new Error(`sandbox-images/build.sh failed (${signal ?? `exit ${code}`})`));
    });
  });
}
