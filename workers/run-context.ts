// What the reproduce and repair processors share: the bundle of an incident from the artifact
// store, the repository it names, and the rule for which failures are worth a retry.
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { Bundle } from '../schemas/bundle.ts';
import { bundleContent, latestBundleSha } from '../src/store/bundle-store.ts';
import type { Config } from '../src/config.ts';
import type { ArtifactStore } from '../src/store/artifacts.ts';
import { isRetryable, type AppError } from '../src/errors.ts';
import { failRun, getRun } from '../src/store/run-store.ts';
import type { Db } from '../src/store/db.ts';
import type { Logger } from '../src/telemetry.ts';
import { incidentRepo, RepoConfigError, UnknownRepositoryError, type RepoSource } from '../src/workspace/index.ts';

export interface RunStageDeps {
  config: Config;
  db: Db;
  artifacts: ArtifactStore;
  log: Logger;
  /** Adds the next stage's job (the repair job after a reproduction). */
  enqueue: (queue: 'reproduce' | 'repair' | 'publish', data: Record<string, string>, jobId: string) => Promise<void>;
  /** This database's instance id (src/queue/instance.ts); jobs of another instance are left alone. */
  instanceId?: string;
}

/**
 * A run that cannot start until the operator changes the configuration (no repository mapped, the
 * sandbox image not built, no model for `llm`). Not retried; logged as one line naming `fix`, the
 * variable to set or the command to run, and recorded on the run so a bulk retry can find it.
 */
export class ConfigurationFailure extends UnrecoverableError {
  readonly fix: string;
  constructor(message: string, fix: string) {
    super(message);
    this.name = 'ConfigurationFailure';
    this.fix = fix;
  }
}

/** How long a job of another tracefix instance waits before it is offered again. */
export const STRANGER_DELAY_MS = 30_000;

/**
 * Leaves a job of another tracefix instance (another database on the same Redis prefix) for its
 * owner: back to delayed, not failed, so the owner's workers still get it. True when it was left.
 */
export async function leaveStrangersJob(deps: { instanceId?: string; log: Logger }, job: Job, token: string | undefined, incidentKnown?: boolean): Promise<boolean> {
  const owner = typeof job.data?.instance === 'string' ? (job.data.instance as string) : undefined;
  const stranger = owner !== undefined && deps.instanceId !== undefined ? owner !== deps.instanceId : incidentKnown === false;
  if (!stranger) return false;
  deps.log.warn({ queue: job.queueName, jobId: job.id, owner: owner ?? '(unknown)', instance: deps.instanceId }, 'Job belongs to another tracefix instance; left for it');
  await job.moveToDelayed(Date.now() + STRANGER_DELAY_MS, token);
  return true;
}

export { DelayedError };

export async function loadBundle(deps: RunStageDeps, incidentId: string, sha?: string | null): Promise<{ bundle: Bundle; sha256: string }> {
  const sha256 = sha ?? (await latestBundleSha(deps.db, incidentId));
  if (!sha256) throw new UnrecoverableError(`incident ${incidentId} has no bundle`);
  const raw = await bundleContent(deps.db, deps.artifacts, sha256);
  if (!raw) throw new UnrecoverableError(`bundle ${sha256} of incident ${incidentId} is missing from the artifact store and the database`);
  return { bundle: Bundle.parse(JSON.parse(raw.toString('utf8'))), sha256 };
}

/** The repository of an incident (src/workspace/incident-repo.ts), a configuration failure when none is known. */
export function repoOf(config: Config, bundle: Bundle): RepoSource {
  try {
    return incidentRepo(config.github, bundle);
  } catch (error) {
    if (error instanceof UnknownRepositoryError) throw new ConfigurationFailure(error.message, error.setting);
    throw error;
  }
}

/**
 * Retries are for infrastructure (Docker, git transport, the database): a bad .tracefix.yml will
 * not improve by retrying, so it ends the job at once.
 */
export function classify(error: unknown): Error {
  if (error instanceof UnrecoverableError) return error;
  if (!(error instanceof Error)) return new Error(String(error));
  if (isRetryable(error)) return error;
  // Permanent (src/error-codes.ts): the job ends now; an operator's fix is named where there is one.
  if (error instanceof RepoConfigError) return new UnrecoverableError(`the repository's .tracefix.yml is invalid: ${error.problems.join('; ')}`);
  const code = (error as AppError).code;
  switch (code) {
    case 'TF_SANDBOX_IMAGE':
      return new ConfigurationFailure(`${error.message.replace(/; build it with.*$/, '')}: build the sandbox images with \`npx tracefix images build\``, 'npx tracefix images build');
    case 'TF_ENGINE_UNAVAILABLE':
      return new ConfigurationFailure(error.message, 'TRACEFIX_MODEL');
    case 'TF_REPO_UNKNOWN':
      return new ConfigurationFailure(error.message, 'TRACEFIX_SERVICE_REPOS');
    case 'TF_INSTALL':
      return new UnrecoverableError(`dependency install failed before the baseline: ${error.message}`);
    default:
      return new UnrecoverableError(error.message);
  }
}

/**
 * What a stage's failure does to its run: a failure that will not be retried (unrecoverable, or
 * the job's last attempt) ends the run `failed` with the reason; the classified error is rethrown
 * for BullMQ to retry or fail the job.
 */
export async function stageFailed(deps: RunStageDeps, job: Job, runId: string, error: unknown): Promise<never> {
  const classified = classify(error);
  const last = classified instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  if (last) {
    const fix = classified instanceof ConfigurationFailure ? classified.fix : undefined;
    await failRun(deps.db, runId, classified.message, fix).catch((error: unknown) => deps.log.error({ err: error, runId }, 'Could not record the run as failed'));
    const row = await getRun(deps.db, runId).catch(() => null);
    logRunEnd(deps.log, { runId, incidentId: row?.incidentId ?? String(job.data?.incidentId ?? ''), outcome: 'failed', startedAt: row?.createdAt, reason: classified.message, ...(fix ? { fix } : {}) });
  }
  throw classified;
}

/** The one line every run ends with: outcome, incident, duration and the reason. */
export function logRunEnd(
  log: Logger,
  end: { runId: string; incidentId: string; outcome: string; startedAt: string | undefined; reason?: string | undefined; fix?: string },
): void {
  const durationMs = end.startedAt ? Date.now() - Date.parse(end.startedAt) : undefined;
  log.info(
    { outcome: end.outcome, incidentId: end.incidentId, runId: end.runId, durationMs, reason: end.reason ?? null, ...(end.fix ? { fix: end.fix } : {}) },
    'Run ended',
  );
}
