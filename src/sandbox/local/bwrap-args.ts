// The bubblewrap command line of one local exec. The sandbox sees: the host's /usr (read-only),
// a handful of /etc files it needs to run programs (never passwd/shadow: it gets its own), the
// workspace read-write with .git read-only over it, a private /tmp, fresh /proc and /dev, Node 24
// at /opt/node/bin, and nothing else of the host (no /home, /root, /var, /run, /work, sockets).
import fs from 'node:fs';
import path from 'node:path';
import { SANDBOX_WORKSPACE } from '../types.ts';

export interface BwrapPlan {
  workspaceDir: string;
  /** The workspace's .git (directory or worktree file), bound read-only. */
  gitPath?: string;
  /** Per-sandbox host directory: etc/passwd, etc/group and tmp/ (bound at /tmp). */
  stateDir: string;
  /** Host Node binary, bound read-only at /opt/node/bin/node. */
  nodeBinary?: string;
  env: Readonly<Record<string, string>>;
  /** The wrapped command (exec-wrapper.ts). */
  command: readonly string[];
}

/** What of /etc programs need: the dynamic loader cache, alternatives symlinks, TLS roots, time zone. */
const ETC_ENTRIES = [
  'alternatives',
  'ld.so.cache',
  'ld.so.conf',
  'ld.so.conf.d',
  'nsswitch.conf',
  'hosts',
  'host.conf',
  'localtime',
  'ssl',
  'ca-certificates',
  'protocols',
  'services',
  'mime.types',
  'os-release',
  'debian_version',
];

let rootLayout: string[] | undefined;

/** /bin, /lib, ... as symlinks into /usr (merged /usr) or read-only binds, as on the host. */
function rootDirs(): string[] {
  if (rootLayout) return rootLayout;
  const args: string[] = ['--ro-bind', '/usr', '/usr'];
  for (const name of ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32']) {
    const host = `/${name}`;
    const stat = fs.lstatSync(host, { throwIfNoEntry: false });
    if (!stat) continue;
    if (stat.isSymbolicLink()) args.push('--symlink', fs.readlinkSync(host), host);
    else if (stat.isDirectory()) args.push('--ro-bind', host, host);
  }
  const etc = [...ETC_ENTRIES, ...fs.readdirSync('/etc').filter((n) => /^python3(\.\d+)?$/.test(n))];
  for (const name of etc) args.push('--ro-bind-try', `/etc/${name}`, `/etc/${name}`);
  rootLayout = args;
  return args;
}

export function bwrapArgs(plan: BwrapPlan): string[] {
  const args = [
    // New user, pid, net (only lo), ipc, uts and cgroup namespaces.
    '--unshare-all',
    '--die-with-parent',
    // setsid(): sandboxed code cannot push keystrokes into a controlling terminal (TIOCSTI).
    '--new-session',
    '--hostname', 'sandbox',
    '--clearenv',
    ...rootDirs(),
    '--ro-bind', path.join(plan.stateDir, 'etc', 'passwd'), '/etc/passwd',
    '--ro-bind', path.join(plan.stateDir, 'etc', 'group'), '/etc/group',
    '--proc', '/proc',
    '--dev', '/dev',
    '--bind', path.join(plan.stateDir, 'tmp'), '/tmp',
    '--bind', plan.workspaceDir, SANDBOX_WORKSPACE,
  ];
  if (plan.gitPath) args.push('--ro-bind', plan.gitPath, `${SANDBOX_WORKSPACE}/.git`);
  if (plan.nodeBinary) args.push('--ro-bind', plan.nodeBinary, '/opt/node/bin/node');
  for (const [name, value] of Object.entries(plan.env)) args.push('--setenv', name, value);
  // bwrap's root is a tmpfs holding the mount points; read-only like a docker sandbox's rootfs,
  // so only /workspace and /tmp (separate mounts) stay writable.
  args.push('--remount-ro', '/');
  args.push('--chdir', SANDBOX_WORKSPACE, '--', ...plan.command);
  return args;
}
