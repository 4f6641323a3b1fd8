// What the reproduce and repair processors share: the bundle of an incident from the artifact
// store, the repository it names, and the rule for which failures are worth a retry.
import { UnrecoverableError, type Job } from 'bullmq';
import { Bundle } from '../schemas/bundle.ts';
import { latestBundleSha } from '../src/assemble/assemble-incident.ts';
import type { Config } from '../src/config.ts';
import type { ArtifactStore } from '../src/store/artifacts.ts';
import { failRun } from '../src/store/run-store.ts';
import type { Db } from '../src/store/db.ts';
import type { Logger } from '../src/telemetry.ts';
import { RepoConfigError, type RepoSource } from '../src/workspace/index.ts';

export interface RunStageDeps {
  config: Config;
  db: Db;
  artifacts: ArtifactStore;
  log: Logger;
  /** Adds the next stage's job (the repair job after a reproduction). */
  enqueue: (queue: 'reproduce' | 'repair' | 'publish', data: Record<string, string>, jobId: string) => Promise<void>;
}

export async function loadBundle(deps: RunStageDeps, incidentId: string, sha?: string | null): Promise<{ bundle: Bundle; sha256: string }> {
  const sha256 = sha ?? (await latestBundleSha(deps.db, incidentId));
  if (!sha256) throw new UnrecoverableError(`incident ${incidentId} has no bundle`);
  const raw = await deps.artifacts.get(sha256);
  if (!raw) throw new UnrecoverableError(`bundle ${sha256} of incident ${incidentId} is missing from the artifact store`);
  return { bundle: Bundle.parse(JSON.parse(raw.toString('utf8'))), sha256 };
}

/** GitHub's web origin for an API origin (github.com, or a GitHub Enterprise server's /api/v3). */
function githubWeb(apiUrl: string): string {
  return apiUrl === 'https://api.github.com' ? 'https://github.com' : apiUrl.replace(/\/api\/v3$/, '');
}

/** The repository of an incident: the bundle's (service map, alert hint, resource attribute); an
 * `owner/name` alone is a GitHub repository. */
export function repoOf(config: Config, bundle: Bundle): RepoSource {
  const url = bundle.repo.url ?? (bundle.repo.name ? `${githubWeb(config.github.apiUrl)}/${bundle.repo.name}.git` : undefined);
  if (!url) {
    throw new UnrecoverableError(`no repository is known for service ${bundle.environment.service?.name ?? '(unknown)'}: map it in TRACEFIX_SERVICE_REPOS`);
  }
  const token = /^https?:/i.test(url) ? config.github.token : undefined;
  return { url, ...(token ? { token } : {}) };
}

/**
 * Retries are for infrastructure (Docker, git transport, the database): a bad .tracefix.yml will
 * not improve by retrying, so it ends the job at once.
 */
export function classify(error: unknown): Error {
  if (error instanceof UnrecoverableError) return error;
  if (error instanceof RepoConfigError) return new UnrecoverableError(`the repository's .tracefix.yml is invalid: ${error.problems.join('; ')}`);
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * What a stage's failure does to its run: a failure that will not be retried (unrecoverable, or
 * the job's last attempt) ends the run `failed` with the reason; the classified error is rethrown
 * for BullMQ to retry or fail the job.
 */
export async function stageFailed(deps: RunStageDeps, job: Job, runId: string, error: unknown): Promise<never> {
  const classified = classify(error);
  const last = classified instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  if (last) await failRun(deps.db, runId, classified.message).catch(() => undefined);
  throw classified;
}
