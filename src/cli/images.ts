import { parseArgs } from 'node:util';
import { buildSandboxImages, sandboxImage } from '../sandbox/images.ts';

/** `tracefix images build [--online] [--force]`: builds the sandbox images, reusing current ones. */
export async function images(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { online: { type: 'boolean' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || positionals[0] !== 'build') {
    process.stdout.write(
      'Usage: tracefix images build [--online] [--force]\n\n' +
        'Builds the sandbox images (Node 24, Python 3 + pytest). Offline by default: a Debian base from\n' +
        "the machine's apt sources (mmdebstrap) and Node from the npm registry. --online builds FROM the\n" +
        'official images instead; --force rebuilds images that are already current.\n',
    );
    return values.help ? 0 : 2;
  }
  await buildSandboxImages({
    online: values.online ?? false,
    force: values.force ?? false,
    onOutput: (text, stream) => (stream === 'stderr' ? process.stderr : process.stdout).write(text),
  });
  process.stdout.write(`built ${sandboxImage('node')} and ${sandboxImage('python')}\n`);
  return 0;
}
