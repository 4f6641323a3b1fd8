// The recurrence watch on timers, in every worker process (src/recurrence/):
//  - every TRACEFIX_RECURRENCE_INTERVAL_MS, one pass of the watch (regressed / still deployed /
//    verified), then the regression comments still owed to merged PRs;
//  - every TRACEFIX_PR_POLL_INTERVAL_MS (0: off), without relying on webhooks, tracefix's open PRs
//    are asked whether they were merged (src/publish/merge-poll.ts).
// Passes of one kind never overlap within a process; across processes the watch's guarded update
// applies each result once and a comment is claimed before it is posted. The repository of an
// incident is the one its latest bundle names, as for its runs.
import { UnrecoverableError } from 'bullmq';
import type { Config } from '../src/config.ts';
import type { GithubClients } from '../src/publish/github-client.ts';
import { pollPullRequests } from '../src/publish/merge-poll.ts';
import { publisherFor } from '../src/publish/service.ts';
import { commentRegressions } from '../src/recurrence/regression-comments.ts';
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
  /** GitHub clients (tests give their own); by default from the configuration, none without credentials. */
  clients?: GithubClients;
}

/** One pass, as the timer runs it (exported for tests and a manual trigger). */
export async function recurrencePass(deps: RecurrenceWatchDeps) {
  const log = deps.log.child({ component: 'recurrence' });
  const outcomes = await checkRecurrence({
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
  // Regressions (this pass's and any earlier one's still untold) are told on their PRs.
  const clients = deps.clients ?? publisherFor(deps.config, log);
  if (clients) {
    const publicUrl = deps.config.publish.publicUrl;
    await commentRegressions({ db: deps.db, clients, releaseCommits: deps.config.assemble.releaseCommits, ...(publicUrl ? { publicUrl } : {}), log });
  }
  return outcomes;
}

/** One poll of the open PRs; nothing without GitHub credentials. */
export async function pullRequestPollPass(deps: RecurrenceWatchDeps) {
  const log = deps.log.child({ component: 'pr-poll' });
  const clients = deps.clients ?? publisherFor(deps.config, log);
  return clients ? pollPullRequests({ db: deps.db, clients, log }) : [];
}

function every(ms: number, name: string, deps: RecurrenceWatchDeps, pass: () => Promise<unknown>) {
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = pass()
      .catch((error: unknown) => deps.log.warn({ err: error, pass: name }, 'Periodic pass failed'))
      .finally(() => (running = undefined));
  }, ms);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

export function startRecurrenceWatch(deps: RecurrenceWatchDeps): { stop(): Promise<void> } {
  // One client set for every pass: App installation tokens are cached across them.
  const clients = deps.clients ?? publisherFor(deps.config, deps.log);
  const withClients = { ...deps, ...(clients ? { clients } : {}) };
  const stops = [every(deps.config.recurrence.intervalMs, 'recurrence', deps, () => recurrencePass(withClients))];
  if (deps.config.recurrence.prPollIntervalMs > 0 && clients) stops.push(every(deps.config.recurrence.prPollIntervalMs, 'pr-poll', deps, () => pullRequestPollPass(withClients)));
  return {
    stop: async () => {
      await Promise.all(stops.map((stop) => stop()));
    },
  };
}
