// Every exec runs under the same small bash wrapper in both drivers. It changes to the requested
// directory itself (so a missing directory is an ordinary exit 126 with a message, in either
// driver) and, after the command, kills every process left in the sandbox except init: nothing an
// exec starts (a daemon, a forgotten server, a fork bomb) may outlive it or hold its output open.
import path from 'node:path';
import { SANDBOX_WORKSPACE } from './types.ts';

// `kill -9 -1` signals everything the caller may signal except itself and the namespace's init;
// repeated because a fork bomb may add processes while the first pass runs. bash, not sh: dash's
// kill builtin does not accept -1.
const WRAPPER = [
  'cd -- "$1" || exit 126',
  'shift',
  '"$@"',
  'rc=$?',
  'for _ in 1 2 3 4 5 6 7 8 9 10; do kill -9 -1 2>/dev/null || break; done',
  'exit $rc',
].join('\n');

/** Kills every process in the sandbox but init (used on timeout, from a second exec). */
export const KILL_ALL = ['/bin/bash', '-c', 'for _ in $(seq 1 50); do kill -9 -1 2>/dev/null || exit 0; done'];

/** Absolute directory inside the sandbox; relative paths are taken from the workspace. */
export function sandboxCwd(cwd: string | undefined): string {
  if (cwd === undefined || cwd === '') return SANDBOX_WORKSPACE;
  return path.posix.isAbsolute(cwd) ? path.posix.normalize(cwd) : path.posix.join(SANDBOX_WORKSPACE, cwd);
}

export function wrapArgv(argv: readonly string[], cwd: string | undefined): string[] {
  if (argv.length === 0 || argv.some((a) => typeof a !== 'string' || a.includes('\0'))) {
    throw new TypeError('exec argv must be a non-empty array of strings without NUL bytes');
  }
  return ['/bin/bash', '-c', WRAPPER, 'tracefix-exec', sandboxCwd(cwd), ...argv];
}
