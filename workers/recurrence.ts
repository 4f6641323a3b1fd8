// The recurrence watch on a timer, in every worker process: one pass (src/recurrence/watch.ts) every
// TRACEFIX_RECURRENCE_INTERVAL_MS. Passes never overlap within a process; across processes the
// watch's guarded update applies each result once. The repository of an incident is the one its
// latest bundle names, as for its runs.
import { UnrecoverableError } from 'bullmq';
import type { Config } from '../src/config.ts';
import { checkRecurrence } from '../src/recurrence/watch.ts';
import type { ArtifactStore } from '../src/store/artifacts.ts';
import type { Db } from '../src/store/db.ts';
import type { Logger } from '../src/telemetry.ts';
import { containsCommit } from '../src/workspace/ancestry.ts';
import { loadBundle, repoOf } from './run-context.ts';

export interface RecurrenceWatchDeps {
  config: Config;
  db: Db;
  artifacts: ArtifactStore;
  log: Logger;
  now?: () => Date;
}

/** One pass, as the timer runs it (exported for tests and a manual trigger). */
export function recurrencePass(deps: RecurrenceWatchDeps) {
  const log = deps.log.child({ component: 'recurrence' });
  return checkRecurrence({
    db: deps.db,
    releaseCommits: deps.config.assemble.releaseCommits,
    verifyDays: deps.config.recurrence.verifyDays,
    now: deps.now ?? (() => new Date()),
    log,
    containsFix: async (incidentId, mergeSha, commit) => {
      try {
        const { bundle } = await loadBundle({ ...deps, enqueue: async () => undefined }, incidentId);
        return await containsCommit({ dataDir: deps.config.dataDir, repo: repoOf(deps.config, bundle), ancestor: mergeSha, commit, log });
      } catch (error) {
        // No bundle or no known repository: this incident's releases cannot be classified.
        if (error instanceof UnrecoverableError) return undefined;
        throw error;
      }
    },
  });
}

export function startRecurrenceWatch(deps: RecurrenceWatchDeps): { stop(): Promise<void> } {
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = recurrencePass(deps)
      .catch((error: unknown) => deps.log.warn({ err: error }, 'Recurrence pass failed'))
      .finally(() => (running = undefined));
  }, deps.config.recurrence.intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
