// The `repair` processor: the run's reproduction written back into a fresh workspace → the repair
// stage → the finished Run on the row and its outputs (patch, test, pr.md, result.json, the
// agent's transcript) in <dataDir>/runs/<runId>/.
import path from 'node:path';
import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import { RunJob } from '../schemas/jobs.ts';
import { bisectRun } from '../src/bisect/after-run.ts';
import { releasesWithoutFingerprint } from '../src/bisect/good-releases.ts';
import { resolveEngines } from '../src/run/engines.ts';
import { writeRunOutputs } from '../src/repair/proposal/index.ts';
import { repairStage } from '../src/repair/repair-stage.ts';
import { restoreReproduction } from '../src/reproduce/stage.ts';
import { openRunEnvironment } from '../src/run/run-env.ts';
import { buildRunRecord, runShell } from '../src/run/run-incident.ts';
import { incidentEnv } from '../src/reproduce/index.ts';
import { commitNote } from '../src/run/commit-note.ts';
import { finishRun, getRun } from '../src/store/run-store.ts';
import { instrument } from '../src/telemetry.ts';
import { DelayedError, leaveStrangersJob, loadBundle, logRunEnd, repoOf, stageFailed, type RunStageDeps } from './run-context.ts';

export function repairProcessor(deps: RunStageDeps) {
  return async (job: Job, token?: string): Promise<{ runId: string; status: string }> => {
    const parsed = RunJob.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`bad repair job data: ${parsed.error.message}`);
    const { incidentId, runId, engine = 'auto' } = parsed.data;
    if (await leaveStrangersJob(deps, job, token)) throw new DelayedError();
    const log = deps.log.child({ incidentId, runId, jobId: job.id });
    return instrument('stage.repair', { 'tracefix.incident_id': incidentId, 'tracefix.run_id': runId }, async () => {
      const row = await getRun(deps.db, runId);
      if (!row) throw new UnrecoverableError(`no run ${runId}`);
      const reproduction = row.reproduction;
      if (reproduction?.status !== 'reproduced') throw new UnrecoverableError(`run ${runId} has no reproduction to repair`);
      const { bundle, sha256 } = await loadBundle(deps, incidentId, row.bundleSha256);
      const progress = (message: string) => void job.updateProgress({ stage: 'repair', message }).catch(() => undefined);
      const artifactsDir = path.join(deps.config.dataDir, 'runs', runId);
      try {
        const { engines } = await resolveEngines(engine, deps.config, { artifactsDir });
        const env = await openRunEnvironment({ config: deps.config, runId: `${runId}-repair`, repo: repoOf(deps.config, bundle), ...(bundle.repo.commitSha ? { commit: bundle.repo.commitSha } : {}), env: incidentEnv(bundle), log });
        try {
          await restoreReproduction(env, reproduction);
          const repair = await repairStage({ bundle, sandbox: env.sandbox, repoConfig: env.repoConfig, trackedFiles: env.trackedFiles, reproduction, engines, artifactsDir, log, progress });
          const note = await commitNote(bundle, env.workspace);
          const shell = runShell({ runId, bundle, bundleSha256: sha256, repoUrl: env.workspace.repo, commit: env.workspace.commit, commitNote: note, driver: env.sandbox.driver, startedAt: new Date(row.createdAt) });
          const goodReleases = await releasesWithoutFingerprint(deps.db, { incidentId, releaseCommits: deps.config.assemble.releaseCommits }).catch(() => []);
          const run = await bisectRun(buildRunRecord(shell, reproduction, repair), { config: deps.config, repo: repoOf(deps.config, bundle), repoConfig: env.repoConfig, driver: env.sandbox.driver, env: incidentEnv(bundle), goodReleases, log, progress });
          await writeRunOutputs(artifactsDir, run);
          // The incident takes the run's status in the same statement.
          await finishRun(deps.db, run);
          logRunEnd(log, { runId, incidentId, outcome: run.status, startedAt: row.createdAt, reason: run.reason });
          // jobId = run id: a retried repair job never publishes twice.
          if (run.status === 'fixed') await deps.enqueue('publish', { incidentId, runId }, runId);
          return { runId, status: run.status };
        } finally {
          await env.close();
        }
      } catch (error) {
        return stageFailed(deps, job, runId, error);
      }
    });
  };
}
