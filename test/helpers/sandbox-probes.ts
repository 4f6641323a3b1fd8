// Whether the real sandbox backends can run here: one probe each, shared by every suite that
// replays its scenarios through them.
import { execFileSync } from 'node:child_process';
import Docker from 'dockerode';
import { sandboxImage } from '../../src/sandbox/images.ts';

/** False when bubblewrap is usable (a real jail starts), else why not. */
export function bwrapUnavailable(): string | false {
  try {
    execFileSync(
      'bwrap',
      ['--unshare-all', '--ro-bind', '/usr', '/usr', '--symlink', 'usr/bin', '/bin', '--symlink', 'usr/lib', '/lib', '--symlink', 'usr/lib64', '/lib64', '/usr/bin/true'],
      { stdio: 'ignore' },
    );
    return false;
  } catch {
    return 'bubblewrap is not usable here';
  }
}

/** False when Docker answers and the current sandbox images are built, else why not. */
export async function sandboxImagesUnavailable(runtimes: readonly ('node' | 'python')[] = ['node', 'python']): Promise<string | false> {
  const docker = new Docker();
  try {
    await docker.ping();
  } catch (error) {
    return `Docker does not answer (${(error as Error).message})`;
  }
  for (const runtime of runtimes) {
    try {
      await docker.getImage(sandboxImage(runtime)).inspect();
    } catch {
      return `sandbox image ${sandboxImage(runtime)} is not built (sandbox-images/build.sh)`;
    }
  }
  return false;
}
