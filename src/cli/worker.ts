import { parseArgs } from 'node:util';
import { UsageError } from '../errors.ts';
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
  const rt = await startRuntime('worker');
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
