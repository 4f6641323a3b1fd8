// Which tracefix process owns a sandbox, so sweepOrphans() removes what a crashed process left
// behind without touching the live sandboxes of another worker on the same Docker engine. The
// owner is host + pid + the pid's start time (pids are reused; start times are not).
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

let self: string | undefined;

/** This process's owner token: `host/pid/starttime`. */
export function ownerToken(): string {
  self ??= `${os.hostname()}/${process.pid}/${startTime(process.pid) ?? 'unknown'}`;
  return self;
}

export type OwnerState = 'self' | 'alive' | 'dead' | 'foreign';

/** `foreign`: another host's (cannot be checked from here). */
export function ownerState(token: string | undefined): OwnerState {
  if (token === undefined) return 'dead';
  if (token === ownerToken()) return 'self';
  const [host, pid, started] = token.split('/');
  if (host !== os.hostname()) return 'foreign';
  const pidNumber = Number(pid);
  if (!Number.isInteger(pidNumber) || pidNumber <= 0) return 'dead';
  return startTime(pidNumber) === started ? 'alive' : 'dead';
}
