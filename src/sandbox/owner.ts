// Which tracefix process owns a sandbox, so sweepOrphans() removes what a crashed process left
// behind without touching the live sandboxes of another worker on the same Docker engine. The
// owner is host + pid namespace + pid + the pid's start time (pids are reused; start times are
// not). The namespace matters when workers in containers share one Docker socket: with host
// networking they also share the host name, and a pid from another namespace means nothing here.
import fs from 'node:fs';
import os from 'node:os';

function startTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; starttime is field 22 overall.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** `4026531836` from `pid:[4026531836]`; `unknown` where /proc does not say. */
function pidNamespace(): string {
  try {
    return /\[(\d+)\]/.exec(fs.readlinkSync('/proc/self/ns/pid'))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

let self: string | undefined;

/** This process's owner token: `host/pidns/pid/starttime`. */
export function ownerToken(): string {
  self ??= `${os.hostname()}/${pidNamespace()}/${process.pid}/${startTime(process.pid) ?? 'unknown'}`;
  return self;
}

export type OwnerState = 'self' | 'alive' | 'dead' | 'foreign';

/** `foreign`: another host's (cannot be checked from here). */
export function ownerState(token: string | undefined): OwnerState {
  if (token === undefined) return 'dead';
  if (token === ownerToken()) return 'self';
  const parts = token.split('/');
  // Tokens written before the namespace was part of them: `host/pid/starttime`.
  const [host, namespace, pid, started] = parts.length === 3 ? [parts[0], pidNamespace(), parts[1], parts[2]] : parts;
  if (host !== os.hostname() || namespace !== pidNamespace()) return 'foreign';
  const pidNumber = Number(pid);
  if (!Number.isInteger(pidNumber) || pidNumber <= 0) return 'dead';
  return startTime(pidNumber) === started ? 'alive' : 'dead';
}
