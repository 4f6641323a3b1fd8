// The `reproduce` processor: the incident's latest bundle → a run row → a workspace and sandbox →
// a reproduction recorded on the run; a reproduced incident gets its `repair` job.
import path from 'node:path';
import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import { IncidentJob } from '../schemas/jobs.ts';
import { incidentEnv } from '../src/reproduce/index.ts';
import { resolveEngines } from '../src/run/engines.ts';
import { reproduceStage } from '../src/reproduce/stage.ts';
import { newRunId } from '../src/run/run-incident.ts';
import { openRunEnvironment } from '../src/run/run-env.ts';
import { commitNote, defaultBranch } from '../src/run/commit-note.ts';
import { createRun, recordReproduction } from '../src/store/run-store.ts';
import { instrument } from '../src/telemetry.ts';
import { DelayedError, leaveStrangersJob, loadBundle, logRunEnd, repoOf, stageFailed, type RunStageDeps } from './run-context.ts';

export function reproduceProcessor(deps: RunStageDeps) {
  return async (job: Job, token?: string): Promise<{ runId: string; status: string }> => {
    const parsed = IncidentJob.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`bad reproduce job data: ${parsed.error.message}`);
    const { incidentId, engine = 'auto' } = parsed.data;
    if (await leaveStrangersJob(deps, job, token)) throw new DelayedError();
    const log = deps.log.child({ incidentId, jobId: job.id });
    // One run per job, the same across its retries: the id derives from the job's id and creation time.
    const runId = newRunId(incidentId, `${job.id}:${job.timestamp}`);
    return instrument('stage.reproduce', { 'tracefix.incident_id': incidentId, 'tracefix.run_id': runId }, async () => {
      const { bundle, sha256 } = await loadBundle(deps, incidentId);
      // The incident becomes `reproducing` with its run, in the same statement.
      await createRun(deps.db, { id: runId, incidentId, bundleSha256: sha256 });
      const startedAt = new Date().toISOString();
      const progress = (message: string) => void job.updateProgress({ stage: 'reproduce', message }).catch(() => undefined);
      try {
        const env = await openRunEnvironment({ config: deps.config, runId, repo: repoOf(deps.config, bundle), ...(bundle.repo.commitSha ? { commit: bundle.repo.commitSha } : {}), env: incidentEnv(bundle), log });
        try {
          const note = await commitNote(bundle, env.workspace);
          if (note) {
            progress(note);
            log.warn({ note, branch: (await defaultBranch(env.workspace)) ?? null }, 'Commit unknown; repairing the default branch');
          }
          const { reproduceFallback } = await resolveEngines(engine, deps.config, { artifactsDir: path.join(deps.config.dataDir, 'runs', runId) });
          const reproduction = await reproduceStage({ bundle, env, ...(reproduceFallback ? { fallback: reproduceFallback } : {}), log, progress });
          await recordReproduction(deps.db, runId, reproduction);
          if (reproduction.status === 'reproduced') {
            const next = { incidentId, runId, engine, ...(deps.instanceId ? { instance: deps.instanceId } : {}) };
            await deps.enqueue('repair', next, runId);
          } else {
            logRunEnd(log, { runId, incidentId, outcome: 'not-reproduced', startedAt, reason: reproduction.reason });
          }
          return { runId, status: reproduction.status };
        } finally {
          await env.close();
        }
      } catch (error) {
        return stageFailed(deps, job, runId, error);
      }
    });
  };
}
