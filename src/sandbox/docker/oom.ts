// How many processes the OOM killer has killed in a container's memory cgroup. Read from the
// host's cgroup filesystem when the engine is local (no extra exec), else from inside the
// container, which sees its own cgroup (v2: memory.events, v1: memory.oom_control).
import type Docker from 'dockerode';
import { promises as fs } from 'node:fs';

function hostPaths(containerId: string): string[] {
  return [
    `/sys/fs/cgroup/system.slice/docker-${containerId}.scope/memory.events`,
    `/sys/fs/cgroup/docker/${containerId}/memory.events`,
    `/sys/fs/cgroup/memory/docker/${containerId}/memory.oom_control`,
    `/sys/fs/cgroup/memory/system.slice/docker-${containerId}.scope/memory.oom_control`,
  ];
}

function parse(text: string): number | undefined {
  const match = /^oom_kill (\d+)$/m.exec(text);
  return match ? Number(match[1]) : undefined;
}

async function readInside(container: Docker.Container): Promise<string> {
  const exec = await container.exec({
    Cmd: ['/bin/sh', '-c', 'cat /sys/fs/cgroup/memory.events 2>/dev/null || cat /sys/fs/cgroup/memory/memory.oom_control'],
    AttachStdout: true,
    AttachStderr: false,
    Tty: true, // raw, not multiplexed: nothing to demultiplex for one small read
  });
  const stream = await exec.start({ Tty: true });
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve) => {
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', () => resolve());
  });
  return Buffer.concat(chunks).toString('utf8').replace(/\r/g, '');
}

/** undefined when no counter could be read (an old kernel, or the container is gone). */
export async function readOomKillCount(container: Docker.Container): Promise<number | undefined> {
  for (const file of hostPaths(container.id)) {
    const text = await fs.readFile(file, 'utf8').catch(() => undefined);
    if (text !== undefined) return parse(text);
  }
  try {
    return parse(await readInside(container));
  } catch {
    return undefined;
  }
}
