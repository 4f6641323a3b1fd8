// `tracefix images build --online` through the Docker Engine API (dockerode) instead of build.sh:
// what the compose stack's one-shot `sandbox-images` service runs inside the tracefix image, which
// has neither the docker CLI nor a registry-free Debian base, only the engine's socket. Same
// Dockerfiles, same tag (src/sandbox/images.ts), same build arguments and labels as
// `build.sh --online`, and, like build.sh, nothing is built when the tagged images exist.
import Docker from 'dockerode';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SANDBOX_IMAGE_REPOSITORIES, SANDBOX_IMAGES_DIR, sandboxImage, sandboxImageTag, type SandboxRuntime } from './images.ts';

/** The runtime each online build names, as build.sh --online passes it. */
const ONLINE_RUNTIME: Readonly<Record<SandboxRuntime, string>> = { node: 'node@24', python: 'python@3.12' };

export interface ApiBuildOptions {
  docker?: Docker;
  force?: boolean;
  onOutput?: (text: string) => void;
  signal?: AbortSignal;
}

interface BuildEvent {
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
}

async function imageExists(docker: Docker, name: string): Promise<boolean> {
  try {
    await docker.getImage(name).inspect();
    return true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    throw error;
  }
}

async function buildOne(docker: Docker, runtime: SandboxRuntime, tag: string, options: ApiBuildOptions): Promise<void> {
  // The context: the runtime's Dockerfile and the empty dist/ its COPY expects (build.sh fills it
  // only offline).
  const context = await mkdtemp(path.join(os.tmpdir(), `tracefix-image-${runtime}-`));
  try {
    await cp(path.join(SANDBOX_IMAGES_DIR, runtime, 'Dockerfile'), path.join(context, 'Dockerfile'));
    await mkdir(path.join(context, 'dist'));
    const stream = await docker.buildImage(
      { context, src: ['Dockerfile', 'dist'] },
      {
        t: sandboxImage(runtime, tag),
        buildargs: { RUNTIME: ONLINE_RUNTIME[runtime] },
        labels: { 'org.tracefix.inputs': tag },
        rm: true,
        forcerm: true,
        abortSignal: options.signal,
      },
    );
    const events = await new Promise<BuildEvent[]>((resolve, reject) => {
      docker.modem.followProgress(
        stream,
        (error: Error | null, output: BuildEvent[]) => (error ? reject(error) : resolve(output)),
        (event: BuildEvent) => {
          if (event.stream) options.onOutput?.(event.stream);
        },
      );
    });
    // A failed step arrives as an event in an HTTP 200 stream, not as an error.
    const failed = events.find((e) => e.error);
    if (failed) throw new Error(`building ${sandboxImage(runtime, tag)} failed: ${failed.errorDetail?.message ?? failed.error}`);
    await docker.getImage(sandboxImage(runtime, tag)).tag({ repo: SANDBOX_IMAGE_REPOSITORIES[runtime], tag: 'latest' });
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}

/** Builds the missing sandbox images FROM the official images; resolves with the tag. */
export async function buildSandboxImagesViaApi(options: ApiBuildOptions = {}): Promise<string> {
  const docker = options.docker ?? new Docker();
  const tag = sandboxImageTag();
  for (const runtime of Object.keys(SANDBOX_IMAGE_REPOSITORIES) as SandboxRuntime[]) {
    if (!options.force && (await imageExists(docker, sandboxImage(runtime, tag)))) {
      options.onOutput?.(`${sandboxImage(runtime, tag)} is up to date\n`);
      continue;
    }
    options.onOutput?.(`building ${sandboxImage(runtime, tag)} (${ONLINE_RUNTIME[runtime]}) through the engine API\n`);
    await buildOne(docker, runtime, tag, options);
  }
  return tag;
}
