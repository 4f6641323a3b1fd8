import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { UsageError } from '../errors.ts';
import { checkDockerSandboxSetup } from '../sandbox/docker/preflight.ts';
import { openTraceStore } from '../traces/open-trace-store.ts';
import { warnAboutSandboxImages } from '../sandbox/missing-images.ts';
import { startRuntime } from './runtime.ts';
import { startStageWorkers } from '../../workers/main.ts';

export async function worker(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write('Usage: tracefix worker\n\nRuns the outbox dispatcher and the stage workers.\n');
    return 0;
  }
  // Before anything connects: a worker whose sandboxes cannot work must say so and stop, not take
  // jobs and fail every run (src/sandbox/docker/preflight.ts).
  const config = loadConfig();
  const preflight = config.sandbox.driver === 'docker' ? await checkDockerSandboxSetup({ dataDir: config.dataDir }) : undefined;
  const rt = await startRuntime('worker');
  if (preflight && preflight.missingImages.length > 0) {
    rt.log.warn({ missing: preflight.missingImages }, 'Sandbox images missing on the Docker engine; runs that need them will fail');
  }
  if (rt.db.kind === 'pglite') {
    // Embedded PGlite belongs to one process: a separate worker would open a second copy.
    throw new UsageError('tracefix worker needs DATABASE_URL (Postgres); with embedded PGlite, `tracefix serve` runs the workers inline');
  }
  const traceStore = openTraceStore(rt.db, rt.config.traces, {
    onError: (error, what) => rt.log.warn({ err: error, what }, 'Trace store error'),
  });
  rt.onShutdown(() => traceStore.close());
  rt.dispatcher.start();
  rt.sweeper.start();
  void warnAboutSandboxImages(rt.config, rt.log);
  const workers = await startStageWorkers({ ...rt, traceStore });
  rt.onShutdown(() => workers.close());
  rt.log.info('tracefix worker is running');
  await rt.untilShutdown();
  return 0;
}
