// Per-sandbox cgroups for the local driver: the only way to give a bubblewrap sandbox a real
// memory limit (RLIMIT_AS breaks Node, which reserves gigabytes of address space it never uses),
// a per-sandbox pids limit, a CPU quota and an OOM-kill counter. Needs root and a writable cgroup
// filesystem; v2 (unified) and v1 (separate memory/pids/cpu hierarchies) are both handled.
import fs from 'node:fs';
import path from 'node:path';
import type { SandboxLimits } from '../types.ts';

const ROOT = '/sys/fs/cgroup';
const GROUP = 'tracefix';

export interface SandboxCgroups {
  /** cgroup.procs files a process writes its pid into to join every controller. */
  readonly procsFiles: string[];
  /** Processes killed by the OOM killer in this sandbox so far. */
  oomKills(): number;
  /** SIGKILLs every process still in the cgroups. */
  killAll(): void;
  /** Removes the cgroup directories (retries briefly while dying processes leave). */
  remove(): Promise<void>;
}

function write(file: string, value: string): void {
  fs.writeFileSync(file, value);
}

function isV2(): boolean {
  return fs.existsSync(path.join(ROOT, 'cgroup.controllers'));
}

/** The directories a sandbox named `name` uses (existing or not). */
export function cgroupDirs(name: string): string[] {
  if (isV2()) return [path.join(ROOT, GROUP, name)];
  return ['memory', 'pids', 'cpu'].map((c) => path.join(ROOT, c, GROUP, name));
}

function createV2(name: string, limits: SandboxLimits): string[] {
  const parent = path.join(ROOT, GROUP);
  fs.mkdirSync(parent, { recursive: true });
  // Delegate the controllers to our subtree (no-op when already enabled).
  write(path.join(ROOT, 'cgroup.subtree_control'), '+memory +pids +cpu');
  write(path.join(parent, 'cgroup.subtree_control'), '+memory +pids +cpu');
  const dir = path.join(parent, name);
  fs.mkdirSync(dir);
  write(path.join(dir, 'memory.max'), String(limits.memoryBytes));
  if (fs.existsSync(path.join(dir, 'memory.swap.max'))) write(path.join(dir, 'memory.swap.max'), '0');
  write(path.join(dir, 'pids.max'), String(limits.pids));
  write(path.join(dir, 'cpu.max'), `${Math.round(limits.cpus * 100_000)} 100000`);
  return [dir];
}

function createV1(name: string, limits: SandboxLimits): string[] {
  const dirs = cgroupDirs(name);
  for (const dir of dirs) fs.mkdirSync(dir, { recursive: true });
  const [memory, pids, cpu] = dirs as [string, string, string];
  write(path.join(memory, 'memory.limit_in_bytes'), String(limits.memoryBytes));
  const memsw = path.join(memory, 'memory.memsw.limit_in_bytes');
  if (fs.existsSync(memsw)) write(memsw, String(limits.memoryBytes));
  write(path.join(pids, 'pids.max'), String(limits.pids));
  write(path.join(cpu, 'cpu.cfs_period_us'), '100000');
  write(path.join(cpu, 'cpu.cfs_quota_us'), String(Math.round(limits.cpus * 100_000)));
  return dirs;
}

function readOomKills(dirs: string[]): number {
  for (const dir of dirs) {
    for (const file of ['memory.events', 'memory.oom_control']) {
      let text: string;
      try {
        text = fs.readFileSync(path.join(dir, file), 'utf8');
      } catch {
        continue;
      }
      const match = /^oom_kill (\d+)$/m.exec(text);
      if (match) return Number(match[1]);
    }
  }
  return 0;
}

/** Creates the cgroups, or says why this host does not allow it. */
export function createSandboxCgroups(name: string, limits: SandboxLimits): SandboxCgroups | { unavailable: string } {
  if ((process.getuid?.() ?? 0) !== 0) return { unavailable: 'not running as root' };
  let dirs: string[];
  try {
    dirs = isV2() ? createV2(name, limits) : createV1(name, limits);
  } catch (error) {
    for (const dir of cgroupDirs(name)) fs.rmSync(dir, { recursive: false, force: true });
    return { unavailable: (error as Error).message };
  }
  return {
    procsFiles: dirs.map((d) => path.join(d, 'cgroup.procs')),
    oomKills: () => readOomKills(dirs),
    killAll: () => killCgroups(dirs),
    remove: () => removeCgroups(dirs),
  };
}

function killCgroups(dirs: string[]): void {
  for (const dir of dirs) {
    const kill = path.join(dir, 'cgroup.kill');
    if (fs.existsSync(kill)) {
      write(kill, '1');
      continue;
    }
    const procs = fs.readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean);
    for (const pid of procs) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

export async function removeCgroups(dirs: string[]): Promise<void> {
  for (const dir of dirs) {
    for (let attempt = 0; ; attempt++) {
      try {
        fs.rmdirSync(dir);
        break;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') break;
        if (code !== 'EBUSY' || attempt >= 50) throw error;
        try {
          killCgroups([dir]);
        } catch {
          // the directory may be going away
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }
}
