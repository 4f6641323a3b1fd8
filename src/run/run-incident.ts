// One whole run, in one process: bundle → workspace at the incident's commit → reproduce → repair
// → the Run record. `tracefix repair` calls it; the service runs the same two stages as separate
// BullMQ jobs (workers/reproduce.ts, workers/repair.ts).
import { createHash, randomBytes } from 'node:crypto';
import type { Bundle } from '../../schemas/bundle.ts';
import { Run, RUN_VERSION, type Reproduction } from '../../schemas/run.ts';
import { bisectRun } from '../bisect/after-run.ts';
import type { Config } from '../config.ts';
import { InstallError } from '../install/index.ts';
import { incidentEnv } from '../reproduce/index.ts';
import { instrument, type Logger } from '../telemetry.ts';
import type { RepoSource } from '../workspace/index.ts';
import { commitNote, commitNoteBody } from './commit-note.ts';
import { repairStage, testingRecord, type RepairStageResult } from '../repair/repair-stage.ts';
import { reproduceStage, type ReproduceFallback } from '../reproduce/stage.ts';
import { openRunEnvironment } from './run-env.ts';
import type { RepairEngine } from '../repair/types.ts';

export interface RunIncidentInput {
  config: Config;
  bundle: Bundle;
  bundleSha256?: string;
  repo: RepoSource;
  engines: readonly RepairEngine[];
  reproduceFallback?: ReproduceFallback;
  driver?: 'docker' | 'local';
  runId?: string;
  artifactsDir?: string;
  signal?: AbortSignal;
  log?: Logger;
  progress?: (message: string) => void;
}

/** `run-<incident slug>-<8 hex>`; with a seed, the same seed gives the same id (a job's retries). */
export function newRunId(incidentId: string, seed?: string): string {
  const slug = incidentId.replace(/[^A-Za-z0-9]/g, '').slice(-12) || 'incident';
  const suffix = seed === undefined ? randomBytes(4).toString('hex') : createHash('sha256').update(seed).digest('hex').slice(0, 8);
  return `run-${slug}-${suffix}`;
}

type RunShell = Omit<Run, 'status' | 'reason' | 'reproduction' | 'localization' | 'candidates' | 'proposal' | 'finishedAt'>;

/** The record's fixed part: who, what, where. */
export function runShell(input: { runId: string; bundle: Bundle; bundleSha256?: string; repoUrl?: string; commit?: string; commitNote?: string | undefined; driver: 'docker' | 'local'; startedAt: Date }): RunShell {
  const { bundle } = input;
  return {
    version: RUN_VERSION,
    id: input.runId,
    incident: { id: bundle.incident.id, fingerprint: bundle.incident.fingerprint, source: bundle.incident.source },
    ...(input.bundleSha256 ? { bundleSha256: input.bundleSha256 } : {}),
    repo: { ...(input.repoUrl ? { url: input.repoUrl } : {}), ...(input.commit ? { commit: input.commit } : {}), ...(input.commitNote ? { note: input.commitNote } : {}) },
    sandbox: { driver: input.driver },
    startedAt: input.startedAt.toISOString(),
  };
}

/** The finished record from the shell and what the stages returned. */
export function buildRunRecord(shell: RunShell, reproduction: Reproduction, repair?: RepairStageResult): Run {
  const finishedAt = new Date().toISOString();
  if (reproduction.status !== 'reproduced') {
    return Run.parse({ ...shell, finishedAt, status: 'not-reproduced', reason: reproduction.reason, reproduction, localization: null, candidates: [], proposal: null });
  }
  if (!repair) throw new Error('a reproduced run needs the repair stage');
  const note = shell.repo.note;
  const proposal = repair.proposal && note ? { ...repair.proposal, body: commitNoteBody(note, repair.proposal.body) } : repair.proposal;
  return Run.parse({
    ...shell,
    ...(repair.engine ? { engine: repair.engine } : {}),
    finishedAt,
    status: repair.status,
    ...(repair.reason ? { reason: repair.reason } : {}),
    reproduction,
    localization: repair.localization,
    candidates: repair.candidates,
    proposal,
    ...(repair.testing ? { tests: repair.testing } : {}),
  });
}

export async function runIncident(input: RunIncidentInput): Promise<Run> {
  const { config, bundle, log } = input;
  const runId = input.runId ?? newRunId(bundle.incident.id);
  const driver = input.driver ?? config.sandbox.driver;
  const startedAt = new Date();
  const progress = input.progress ?? (() => undefined);
  return instrument('run.incident', { 'tracefix.incident_id': bundle.incident.id, 'tracefix.run_id': runId }, async () => {
    progress(`checking out ${input.repo.url}${bundle.repo.commitSha ? ` at ${bundle.repo.commitSha.slice(0, 12)}` : ''}`);
    let env: Awaited<ReturnType<typeof openRunEnvironment>>;
    try {
      env = await openRunEnvironment({
        config,
        runId,
        repo: input.repo,
        ...(bundle.repo.commitSha ? { commit: bundle.repo.commitSha } : {}),
        driver,
        labels: { 'org.tracefix.incident': bundle.incident.id.slice(0, 63) },
        env: incidentEnv(bundle),
        ...(log ? { log } : {}),
      });
    } catch (error) {
      // No dependencies, no meaningful baseline: the run ends here with the package manager's words.
      if (!(error instanceof InstallError)) throw error;
      progress(`dependency install failed: ${error.reason}`);
      const shell = runShell({ runId, bundle, ...(input.bundleSha256 ? { bundleSha256: input.bundleSha256 } : {}), repoUrl: input.repo.url.replace(/\/\/[^/@]*@/, '//'), ...(/^[0-9a-f]{40}$/.test(bundle.repo.commitSha ?? '') ? { commit: bundle.repo.commitSha } : {}), driver, startedAt });
      const reason = `dependency install failed before the baseline: ${error.message}`.slice(0, 4096);
      return buildRunRecord(shell, { status: 'not-reproduced', reason, signature: null, attempts: [] });
    }
    try {
      const note = await commitNote(bundle, env.workspace);
      if (note) progress(note);
      progress(`sandbox ${env.sandbox.driver} ready; ${env.repoConfig.language} repository, ${env.repoConfig.framework} tests${env.install ? `; install: ${env.install.ok ? 'ok' : 'failed'} (${env.install.detail})` : ''}`);
      progress(`tests: \`${env.repoConfig.test.command}\` (${env.repoConfig.detection?.evidence ?? env.repoConfig.framework})`);
      const shell = {
        ...runShell({ runId, bundle, ...(input.bundleSha256 ? { bundleSha256: input.bundleSha256 } : {}), repoUrl: env.workspace.repo, commit: env.workspace.commit, commitNote: note, driver, startedAt }),
        tests: testingRecord(env.repoConfig),
      };
      const reproduction = await reproduceStage({ bundle, env, ...(input.reproduceFallback ? { fallback: input.reproduceFallback } : {}), ...(log ? { log } : {}), progress });
      if (reproduction.status !== 'reproduced') return buildRunRecord(shell, reproduction);
      const repair = await repairStage({
        bundle,
        sandbox: env.sandbox,
        repoConfig: env.repoConfig,
        trackedFiles: env.trackedFiles,
        reproduction,
        engines: input.engines,
        ...(input.artifactsDir ? { artifactsDir: input.artifactsDir } : {}),
        ...(input.signal ? { signal: input.signal } : {}),
        ...(log ? { log } : {}),
        progress,
      });
      // After the fix is found: which commit introduced the failure (bounded by bisect.timeoutMs).
      return await bisectRun(buildRunRecord(shell, reproduction, repair), { config, repo: input.repo, repoConfig: env.repoConfig, driver, env: incidentEnv(bundle), ...(log ? { log } : {}), progress });
    } finally {
      await env.close();
    }
  });
}
