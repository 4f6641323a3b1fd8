import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildSandboxImagesViaApi } from '../sandbox/images-api.ts';
import { buildSandboxImages, SANDBOX_IMAGES_DIR, sandboxImage } from '../sandbox/images.ts';

const USAGE =
  'Usage: tracefix images build [--online] [--force] [--tracefix] [--tag NAME]\n\n' +
  'Builds the sandbox images (Node 24, Python 3 + pytest). Offline by default: a Debian base from\n' +
  "the machine's apt sources (mmdebstrap) and Node from the npm registry. --online builds FROM the\n" +
  "official images instead, through the Docker Engine API (what docker-compose.yml's one-shot\n" +
  "`sandbox-images` service runs); --force rebuilds images that are already current.\n" +
  '--tracefix also builds the tracefix image itself (the Dockerfile) the same way, tagged\n' +
  'tracefix/tracefix:latest and --tag NAME when given.\n';

/** sandbox-images/tracefix-image.sh: the tracefix image, offline or online. Resolves with its name. */
function buildTracefixImage(online: boolean, tag: string | undefined): Promise<string> {
  const args = [path.join(SANDBOX_IMAGES_DIR, 'tracefix-image.sh'), ...(online ? ['--online'] : []), ...(tag ? ['--tag', tag] : [])];
  return new Promise((resolve, reject) => {
    const child = spawn('bash', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve(out.trim().split('\n').at(-1) ?? '');
      else reject(new Error(`sandbox-images/tracefix-image.sh failed (${signal ?? `exit ${code}`})`));
    });
  });
}

/** `tracefix images build [--online] [--force] [--tracefix]`: builds the images, reusing current ones. */
export async function images(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      online: { type: 'boolean' },
      force: { type: 'boolean' },
      tracefix: { type: 'boolean' },
      tag: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals[0] !== 'build') {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  const online = values.online ?? false;
  const force = values.force ?? false;
  const onOutput = (text: string, stream: 'stdout' | 'stderr' = 'stderr') => (stream === 'stderr' ? process.stderr : process.stdout).write(text);
  // Online goes through the engine API: inside the tracefix image there is a socket but no CLI.
  if (online) await buildSandboxImagesViaApi({ force, onOutput });
  else await buildSandboxImages({ force, onOutput });
  process.stdout.write(`built ${sandboxImage('node')} and ${sandboxImage('python')}\n`);
  if (values.tracefix) process.stdout.write(`built ${await buildTracefixImage(online, values.tag)}\n`);
  return 0;
}
