// What `tracefix worker` checks before it takes a job, when its sandboxes are Docker containers:
// the engine answers, the sandbox images exist on it, and a container started on it sees the
// worker's data directory at the same path. The last one is the mistake a containerized worker
// makes: the engine resolves a bind mount's source on its own host, so a data directory that
// lives only inside the worker's container (a named volume, a different path) gives every
// sandbox an empty workspace. Each failure says how to fix it.
import Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../errors.ts';
import { ownerToken } from '../owner.ts';
import { sandboxImage, type SandboxRuntime } from '../images.ts';
import { sandboxUser } from '../workspace-owner.ts';
import { OWNER_LABEL, SANDBOX_LABEL } from './container-spec.ts';
import { DockerDemuxer } from './demux.ts';

/** The worker's Docker setup cannot run sandboxes; the message says what to change. */
export class SandboxSetupError extends AppError {
  constructor(message: string) {
    super('TF_SANDBOX_SETUP', message);
  }
}

export interface PreflightOptions {
  docker?: Docker;
  dataDir: string;
  /** uid sandboxes run as when tracefix runs as root (the driver's default). */
  uid?: number;
  runtimes?: readonly SandboxRuntime[];
}

export interface PreflightResult {
  /** Sandbox images that are not built on the engine (runs needing them will fail). */
  missingImages: string[];
}

const PROBE_TIMEOUT_MS = 60_000;

function engineName(): string {
  return process.env['DOCKER_HOST'] ?? 'unix:///var/run/docker.sock';
}

async function ping(docker: Docker): Promise<void> {
  try {
    await docker.ping();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES') {
      throw new SandboxSetupError(
        `permission denied on the Docker engine socket (${engineName()}): the worker's user is not in the socket's group. ` +
          'With docker compose, set DOCKER_GID in .env to the output of `stat -c %g /var/run/docker.sock` on the host.',
      );
    }
    throw new SandboxSetupError(
      `the Docker engine at ${engineName()} does not answer (${(error as Error).message}). ` +
        'Mount the host\'s socket into the worker (-v /var/run/docker.sock:/var/run/docker.sock), set DOCKER_HOST, ' +
        'or use TRACEFIX_SANDBOX_DRIVER=local.',
    );
  }
}

async function hasImage(docker: Docker, image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    throw error;
  }
}

/**
 * Starts one throwaway container from a sandbox image with `<dataDir>/.sandbox-probe/<random>`
 * bind-mounted, and checks that it reads the token this process wrote there and that what it
 * writes appears here: same directory, and writable by the sandbox user.
 */
async function probeMount(docker: Docker, image: string, dataDir: string, uid: number | undefined): Promise<void> {
  const probeDir = path.join(await realpath(dataDir), '.sandbox-probe', randomBytes(6).toString('hex'));
  await mkdir(probeDir, { recursive: true });
  // A root worker runs sandboxes as another uid, which must be able to write here.
  await chmod(probeDir, 0o777);
  const token = randomBytes(16).toString('hex');
  await writeFile(path.join(probeDir, 'token'), token, { mode: 0o644 });
  const user = sandboxUser(uid ?? 10001);
  try {
    await runProbe(docker, image, dataDir, probeDir, token, user);
  } finally {
    await rm(probeDir, { recursive: true, force: true });
  }
}

async function runProbe(docker: Docker, image: string, dataDir: string, probeDir: string, token: string, user: { uid: number; gid: number }): Promise<void> {
  let output = '';
  let container: Docker.Container | undefined;
  try {
    container = await docker.createContainer({
      name: `tracefix-probe-${randomBytes(6).toString('hex')}`,
      Image: image,
      Entrypoint: ['/bin/sh', '-c'],
      Cmd: ['cat /probe/token && echo "$1" > /probe/answer', 'probe', token],
      User: `${user.uid}:${user.gid}`,
      Labels: { [SANDBOX_LABEL]: '1', [OWNER_LABEL]: ownerToken(), 'org.tracefix.probe': '1' },
      HostConfig: {
        NetworkMode: 'none',
        ReadonlyRootfs: true,
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
        Mounts: [{ Type: 'bind', Source: probeDir, Target: '/probe', ReadOnly: false }],
      },
    });
    await container.start();
    const started = container;
    const timer = setTimeout(() => void started.kill().catch(() => undefined), PROBE_TIMEOUT_MS);
    await container.wait().finally(() => clearTimeout(timer));
    const demuxer = new DockerDemuxer((_stream, payload) => (output += payload.toString('utf8')));
    demuxer.push(await container.logs({ stdout: true, stderr: true, follow: false }));
  } catch (error) {
    // "bind source path does not exist": the engine's host has no such directory at all.
    throw new SandboxSetupError(sameDirectoryAdvice(dataDir, `a probe sandbox could not start (${(error as Error).message})`));
  } finally {
    await container?.remove({ force: true }).catch(() => undefined);
  }
  const answer = await readFile(path.join(probeDir, 'answer'), 'utf8').catch(() => '');
  if (!output.includes(token)) {
    throw new SandboxSetupError(sameDirectoryAdvice(dataDir, 'a probe sandbox found an empty directory where the worker had written a file'));
  }
  if (answer.trim() !== token) {
    throw new SandboxSetupError(
      `a probe sandbox can read the data directory ${dataDir} but cannot write to it (uid ${user.uid}). ` +
        `Give the directory to that uid on the host: chown -R ${user.uid}:${user.gid} ${dataDir}.`,
    );
  }
}

function sameDirectoryAdvice(dataDir: string, what: string): string {
  return (
    `${what}: sandboxes cannot see the worker's data directory ${dataDir}. The Docker engine (${engineName()}) ` +
    'resolves bind-mount sources on its own host, so the data directory must be the same directory at the same ' +
    'absolute path there and in the worker. With docker compose, bind-mount it at the same path on both sides ' +
    `(volumes: - ${dataDir}:${dataDir}, as docker-compose.yml does with TRACEFIX_DATA_DIR), not as a named volume; ` +
    'with a remote engine (DOCKER_HOST), run the worker on that engine\'s host.'
  );
}

/** Throws a SandboxSetupError naming the fix when sandboxes cannot work; lists missing images. */
export async function checkDockerSandboxSetup(options: PreflightOptions): Promise<PreflightResult> {
  const docker = options.docker ?? new Docker();
  await ping(docker);
  const runtimes = options.runtimes ?? ['node', 'python'];
  const images = runtimes.map((r) => sandboxImage(r));
  const present: string[] = [];
  const missingImages: string[] = [];
  for (const image of images) ((await hasImage(docker, image)) ? present : missingImages).push(image);
  if (present.length === 0) {
    throw new SandboxSetupError(
      `no sandbox image is built on the Docker engine (${images.join(', ')}): run \`tracefix images build\` ` +
        '(docker compose runs it as the one-shot sandbox-images service).',
    );
  }
  await probeMount(docker, present[0] as string, options.dataDir, options.uid);
  return { missingImages };
}
