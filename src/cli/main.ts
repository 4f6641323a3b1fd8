// `tracefix <command>`: parses the command line, runs the command, and turns errors into exit
// codes: 0 done, 1 the job ran but did not succeed, 2 bad input or configuration.
import { AppError, ConfigError, isRetryable, UsageError } from '../errors.ts';
import { COMMANDS } from './commands.ts';

/** The version in package.json, the one source of truth for it. */
async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

const USAGE = `Usage: tracefix <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join('\n')}

Run 'tracefix <command> --help' for a command's options; 'tracefix --version' prints the version.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    process.stdout.write(`tracefix ${await version()}\n`);
    return 0;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`tracefix: unknown command '${name}'\n\n${USAGE}\n`);
    return 2;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    // A service that stopped on a fatal condition (its queue prefix taken) set its own code.
    process.exitCode = code === 0 && process.exitCode ? process.exitCode : code;
    // Everything was closed; a client library's reconnect timer must not keep the process alive.
    setTimeout(() => process.exit(code), 2000).unref();
  },
  (error: unknown) => {
    // As above: a half-started service (Redis reconnecting, say) must not keep the process alive.
    setTimeout(() => process.exit(), 2000).unref();
    if (error instanceof ConfigError || error instanceof UsageError) {
      process.stderr.write(`tracefix: ${error.message}\n`);
      process.exitCode = 2;
    } else if (error instanceof AppError) {
      // The shared classifier (src/errors.ts): say whether running it again unchanged may help.
      process.stderr.write(`tracefix: ${error.message} (${error.code}${isRetryable(error) ? '; this may be temporary: run it again' : ''})\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`tracefix: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
