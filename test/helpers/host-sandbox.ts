// TEST HELPER ONLY: a Sandbox that runs commands as plain child processes in a directory on the
// host. Real processes and real test frameworks, and no isolation whatsoever: no namespaces, no
// limits beyond the timeout and output cap, the host's /tmp. It exists so runner tests can run
// before (and beside) the real drivers in src/sandbox/; never use it outside test/.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ExecOptions, ExecResult, Sandbox } from '../../src/sandbox/types.ts';

export interface HostSandboxOptions {
  /** Cap per stream, like SandboxLimits.outputBytes. */
  outputBytes?: number;
  /** Extra environment for every command (PATH and HOME are set already). */
  env?: Record<string, string>;
}

/** Node 24 (this process's node) first on PATH, as in the sandbox image; then the host's PATH, so
 * python3 is the one the test process sees. */
function basePath(): string {
  return [path.dirname(process.execPath), process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin'].join(':');
}

function inside(root: string, rel: string): string {
  const abs = path.resolve(root, rel);
  if (abs !== root && !abs.startsWith(root + path.sep)) throw new Error(`Path ${rel} is outside the workspace`);
  return abs;
}

export function createHostSandbox(workspaceDir: string, options: HostSandboxOptions = {}): Sandbox {
  const root = path.resolve(workspaceDir);
  const cap = options.outputBytes ?? 8 * 1024 * 1024;
  const home = path.join(root, '..', `.home-${path.basename(root)}`);

  async function exec(argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    await mkdir(home, { recursive: true });
    const started = Date.now();
    return new Promise<ExecResult>((resolve) => {
      const child = spawn(argv[0]!, argv.slice(1), {
        cwd: opts.cwd ? inside(root, opts.cwd) : root,
        env: { PATH: basePath(), HOME: home, LANG: 'C.UTF-8', TZ: 'UTC', ...options.env, ...opts.env },
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true, // own process group, so a timeout kills the whole tree
      });
      const out = { stdout: [] as Buffer[], stderr: [] as Buffer[], bytes: { stdout: 0, stderr: 0 } };
      let truncated = false;
      let timedOut = false;
      for (const name of ['stdout', 'stderr'] as const) {
        child[name].on('data', (chunk: Buffer) => {
          const room = cap - out.bytes[name];
          if (room <= 0) {
            truncated = true;
            return;
          }
          if (chunk.length > room) truncated = true;
          const kept = chunk.subarray(0, room);
          out[name].push(kept);
          out.bytes[name] += kept.length;
        });
      }
      const timer = opts.timeoutMs
        ? setTimeout(() => {
            timedOut = true;
            try {
              process.kill(-child.pid!, 'SIGKILL');
            } catch {
              // already gone
            }
          }, opts.timeoutMs)
        : undefined;
      child.on('error', (err) => {
        out.stderr.push(Buffer.from(String(err)));
      });
      child.on('close', (code, signal) => {
        if (timer) clearTimeout(timer);
        resolve({
          exitCode: code ?? (signal ? 128 + 9 : 1),
          stdout: Buffer.concat(out.stdout).toString('utf8'),
          stderr: Buffer.concat(out.stderr).toString('utf8'),
          durationMs: Date.now() - started,
          timedOut,
          oomKilled: false,
          truncated,
        });
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(opts.stdin ?? '');
    });
  }

  return {
    id: `host-${randomUUID()}`,
    driver: 'local',
    exec,
    readFile: (rel) => readFile(inside(root, rel), 'utf8'),
    writeFile: async (rel, content) => {
      const abs = inside(root, rel);
      await mkdir(path.dirname(abs), { recursive: true });
      await writeFile(abs, content);
    },
    diff: async () => (await exec(['sh', '-c', 'git add -A -N . >/dev/null 2>&1; git diff --no-color'])).stdout,
    destroy: async () => undefined,
  };
}
