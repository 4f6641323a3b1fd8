// `npm start` on a fresh machine: repairs run in Docker sandboxes whose images are built, not
// pulled. Without them every run fails; the service says so at startup, with the command.
import Docker from 'dockerode';
import type { Config } from '../config.ts';
import type { Logger } from '../telemetry.ts';
import { sandboxImage } from './images.ts';

export const BUILD_IMAGES_COMMAND = 'npx tracefix images build';

/** The sandbox images that the Docker engine does not have; empty when all are there. Throws
 * when the engine cannot be reached. */
export async function missingSandboxImages(docker: Docker = new Docker(), wanted: readonly string[] = [sandboxImage('node'), sandboxImage('python')]): Promise<string[]> {
  const missing: string[] = [];
  for (const image of wanted) {
    try {
      await docker.getImage(image).inspect();
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) missing.push(image);
      else throw error;
    }
  }
  return missing;
}

/** One startup line when the docker driver is configured and images are missing (or Docker is unreachable). */
export async function warnAboutSandboxImages(config: Config, log: Logger, docker?: Docker, wanted?: readonly string[]): Promise<string[]> {
  if (config.sandbox.driver !== 'docker') return [];
  try {
    const missing = await missingSandboxImages(docker, wanted);
    if (missing.length) {
      log.warn({ missing, command: BUILD_IMAGES_COMMAND }, `Sandbox images are missing; repairs will fail until you run: ${BUILD_IMAGES_COMMAND}`);
    }
    return missing;
  } catch (error) {
    log.warn({ error: (error as Error).message, variable: 'DOCKER_HOST' }, 'Docker is unreachable; repairs need it (set DOCKER_HOST, or TRACEFIX_SANDBOX_DRIVER=local)');
    return [];
  }
}
