import { parseArgs } from 'node:util';
import { resolveDashboardToken, signInUrl } from '../dashboard/dashboard-token.ts';
import { buildApp } from '../server/app.ts';
import { openTraceStore } from '../traces/open-trace-store.ts';
import { ArtifactStore } from '../store/artifacts.ts';
import { warnAboutSandboxImages } from '../sandbox/missing-images.ts';
import { startRuntime } from './runtime.ts';
import { startStageWorkers } from '../../workers/main.ts';

export async function serve(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(
      'Usage: tracefix serve\n\nStarts the HTTP service. Configured by environment variables (see README).\n' +
        'With TRACEFIX_WORKERS=inline (the default) the outbox dispatcher and the stage workers run in this process.\n',
    );
    return 0;
  }
  const rt = await startRuntime('serve');
  const inline = rt.config.workers === 'inline';
  const traceStore = openTraceStore(rt.db, rt.config.traces, {
    onError: (error, what) => rt.log.warn({ err: error, what }, 'Trace store error'),
  });
  rt.onShutdown(() => traceStore.close());
  // Never unauthenticated: without TRACEFIX_DASHBOARD_TOKEN, a token is generated into the data dir.
  const dashboard = await resolveDashboardToken(rt.config);
  const app = await buildApp({
    dashboardToken: dashboard.token,
    queues: rt.queues,
    traceStore,
    artifacts: new ArtifactStore(rt.config.dataDir),
    config: rt.config,
    log: rt.log,
    db: rt.db,
    redis: rt.redis,
    onIncidentCreated: inline ? () => rt.dispatcher.nudge() : undefined,
    onJobQueued: () => rt.dispatcher.nudge(),
  });
  // Closers run in reverse: stop taking requests first, then the workers, then the connections.
  if (inline) {
    rt.dispatcher.start();
    rt.sweeper.start();
    const workers = await startStageWorkers({ ...rt, traceStore });
    rt.onShutdown(() => workers.close());
    // Not awaited: a slow Docker engine must not delay listening.
    void warnAboutSandboxImages(rt.config, rt.log);
  }
  rt.onShutdown(() => app.close());
  await app.listen({ port: rt.config.port, host: rt.config.host });
  rt.log.info({ port: rt.config.port, host: rt.config.host, workers: rt.config.workers, dashboardToken: dashboard.origin }, 'tracefix is serving');
  if (dashboard.origin === 'generated') {
    // Printed once, to the terminal and not the log: the sign-in link carries the token.
    const address = app.server.address();
    const port = address && typeof address === 'object' ? address.port : rt.config.port;
    process.stdout.write(
      `\nDashboard: no TRACEFIX_DASHBOARD_TOKEN set, so one was generated into ${dashboard.file}.\n` +
        `Sign in once with this link (it is printed only now):\n\n    ${signInUrl(rt.config, port, dashboard.token)}\n\n`,
    );
  }
  await rt.untilShutdown();
  return 0;
}
