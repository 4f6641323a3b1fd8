// Runs a corpus command as a plain host process: cwd, a fixed environment, a wall-clock limit that
// kills the whole process group. No isolation: acceptable for HumanEvalFix's single-function
// programs, which only compute; a corpus of real repositories belongs in the sandbox.
import { spawn } from 'node:child_process';
import path from 'node:path';

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
}

const OUTPUT_CAP = 256 * 1024;

/** `node` means the Node running the harness (24), whatever is first on the host's PATH. */
function resolveArgv(argv: readonly string[]): string[] {
  const [cmd, ...rest] = argv;
  return [cmd === 'node' ? process.execPath : cmd!, ...rest];
}

export function runCommand(argv: readonly string[], cwd: string, timeoutMs: number): Promise<RunResult> {
  const [file, ...args] = resolveArgv(argv);
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(file!, args, {
      cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: [path.dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
        HOME: cwd,
        LANG: 'C.UTF-8',
        TZ: 'UTC',
        // Same-size patches written within one second would otherwise reuse a stale .pyc.
        PYTHONDONTWRITEBYTECODE: '1',
        PYTHONHASHSEED: '0',
        NO_COLOR: '1',
      },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let bytes = 0;
    const keep = (into: Buffer[]) => (b: Buffer) => {
      if (bytes < OUTPUT_CAP) into.push(b.subarray(0, OUTPUT_CAP - bytes));
      bytes += b.length;
    };
    child.stdout.on('data', keep(out));
    child.stderr.on('data', keep(err));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, timeoutMs);
    const finish = (exitCode: number) => {
      clearTimeout(timer);
      resolve({
        exitCode,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut,
        durationMs: Math.round(performance.now() - started),
      });
    };
    child.on('error', (e) => {
      err.push(Buffer.from(String(e)));
      finish(127);
    });
    child.on('close', (code, signal) => finish(code ?? (signal ? 137 : 1)));
  });
}
