// The `publish` processor: a fixed run's outputs → publish() → the publication recorded on the run.
// Retries (with the queue's backoff) are for infrastructure only: 5xx, network, a rate limit longer
// than one call waits. A missing permission or installation, or bad input, fails the job at once.
import path from 'node:path';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { incidentLinks, publisherFor, targetRepo } from '../src/publish/service.ts';
import { PublishError } from '../src/publish/errors.ts';
import type { GithubClients } from '../src/publish/github-client.ts';
import { publish } from '../src/publish/publish.ts';
import { sandboxRevalidation } from '../src/publish/revalidate.ts';
import { readRunOutputs } from '../src/publish/run-outputs.ts';
import { incidentEnv } from '../src/reproduce/index.ts';
import { getFixMerge } from '../src/store/fix-merge-store.ts';
import { getIncidentAlerts } from '../src/store/incident-store.ts';
import { getPublication, recordPublication } from '../src/store/publication-store.ts';
import { getRun } from '../src/store/run-store.ts';
import { runWasRequested } from '../src/store/retry-incident.ts';
import { instrument } from '../src/telemetry.ts';
import { continueTrace, parseJob } from '../src/queue/enqueue.ts';
import { loadBundle, repoOf, type RunStageDeps } from './run-context.ts';

/** `clients` is for tests (a client with other rate-limit waits); the service builds its own. */
export function publishProcessor(deps: RunStageDeps & { clients?: GithubClients }) {
  const clients = deps.clients ?? publisherFor(deps.config, deps.log);
  return async (job: Job, token?: string): Promise<{ runId: string; status: string }> => {
    const data = parseJob('publish', job);
    const { incidentId, runId } = data;
    const log = deps.log.child({ incidentId, runId, jobId: job.id });
    return continueTrace(data, () => instrument('stage.publish', { 'tracefix.incident_id': incidentId, 'tracefix.run_id': runId }, async () => {
      const row = await getRun(deps.db, runId);
      if (row?.record?.status !== 'fixed') throw new UnrecoverableError(`run ${runId} is not a fixed run`);
      const record = (state: Parameters<typeof recordPublication>[3]['state'], reason: string, extra: Omit<Parameters<typeof recordPublication>[3], 'state' | 'reason'> = {}) =>
        recordPublication(deps.db, runId, incidentId, { state, reason, ...extra });
      const existing = await getPublication(deps.db, runId);
      if (existing?.state === 'rejected-by-reviewer') return { runId, status: existing.state };
      if (!clients) {
        await record('off', 'no GitHub credentials are configured (TRACEFIX_GITHUB_TOKEN, or TRACEFIX_GITHUB_APP_ID and its private key)');
        return { runId, status: 'off' };
      }
      const { bundle } = await loadBundle(deps, incidentId, row.bundleSha256);
      const regressed = await getFixMerge(deps.db, incidentId);
      const repo = targetRepo(deps.config, bundle);
      if (!repo) {
        await record('not-published', `the incident's repository is not a GitHub repository tracefix can name (${bundle.repo.url ?? bundle.repo.name ?? 'unknown'})`);
        return { runId, status: 'not-published' };
      }
      try {
        const outputs = await readRunOutputs(path.join(deps.config.dataDir, 'runs', runId));
        const result = await publish({
          clients,
          repo,
          ...outputs,
          ...(bundle.trace.traceId ? { traceId: bundle.trace.traceId } : {}),
          links: incidentLinks(await getIncidentAlerts(deps.db, incidentId)),
          mode: deps.config.publish.mode,
          ...(existing?.approvedBy && existing.approvedAt ? { approval: { by: existing.approvedBy, at: existing.approvedAt } } : {}),
          labels: deps.config.publish.labels,
          reviewers: deps.config.publish.reviewers,
          ...(deps.config.publish.author ? { author: deps.config.publish.author } : {}),
          ...(deps.config.publish.publicUrl ? { evidenceUrl: `${deps.config.publish.publicUrl}/runs/${runId}` } : {}),
          // A PR the team closed is reopened only when a person asked for this run (a retry).
          ...(data.rerunRequested || (await runWasRequested(deps.db, incidentId, row.createdAt)) ? { rerunRequested: true } : {}),
          // A run started by a regression publishes despite the merged PR of the fix that came back.
          ...(regressed?.regressedAt ? { regressedMergeSha: regressed.mergeSha } : {}),
          revalidate: async (at) => {
            // A private repository's checkout needs the same credential publishing uses (App mode too).
            const source = repoOf(deps.config, bundle);
            const [owner, name] = repo.split('/') as [string, string];
            const token = /^https:/i.test(source.url) && !source.token ? await clients.credentialFor(owner, name) : source.token;
            return sandboxRevalidation({ config: deps.config, repo: { ...source, ...(token ? { token } : {}) }, run: outputs.run, diff: outputs.diff, env: incidentEnv(bundle), log })(at);
          },
          log,
        });
        if (result.status === 'published') {
          await record('published', result.revalidated ? `re-validated on ${result.base}` : '', { repo, prNumber: result.pr.number, prUrl: result.pr.url, branch: result.branch, base: result.base, headSha: result.commitSha });
        } else if (result.status === 'not-published') {
          const state = result.state === 'merged' ? 'merged' : result.state === 'rejected' ? 'closed-unmerged' : 'not-published';
          await record(state, result.reason, result.pr ? { repo, prNumber: result.pr.number, prUrl: result.pr.url } : { repo });
        } else {
          await record(result.status, result.reason, { repo });
        }
        return { runId, status: result.status };
      } catch (error) {
        // A rate limit longer than one call waits: the job sleeps until GitHub's time, without
        // spending an attempt (the backoff would give up long before an hour's reset).
        if (error instanceof PublishError && error.retryAt && token) {
          log.warn({ retryAt: new Date(error.retryAt).toISOString() }, 'GitHub rate limit; publish job delayed');
          await job.moveToDelayed(error.retryAt, token);
          throw new DelayedError();
        }
        const fatal = error instanceof PublishError && error.kind !== 'infrastructure';
        const last = fatal || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        const message = error instanceof Error ? error.message : String(error);
        if (last) await record('failed', message, { repo }).catch(() => undefined);
        log.warn({ err: message, fatal }, 'Publish failed');
        throw fatal ? new UnrecoverableError(message) : error;
      }
    }));
  };
}
