// The `assemble` processor: parse the job, assemble the incident's bundle, record it. A missing
// incident will not appear by retrying; everything else (database, trace source) is retried.
import { UnrecoverableError, type Job } from 'bullmq';
import { assembleIncident, IncidentNotFoundError, type AssembleDeps } from '../src/assemble/assemble-incident.ts';
import { instrument } from '../src/telemetry.ts';
import { continueTrace, parseJob } from '../src/queue/enqueue.ts';
import { DelayedError, leaveStrangersJob } from './run-context.ts';

/** The next stage's job, carrying what the retry asked for; its id is this job's id, so a retry
 * (a new assemble job id) gets a new reproduce job and a first run keeps `<incident id>`. */
export interface Assembled {
  incidentId: string;
  jobId: string;
  engine?: 'auto' | 'templates' | 'llm';
}

/** `onAssembled` starts the next stage (the reproduce job); a failure there retries the job. */
export function assembleProcessor(deps: AssembleDeps & { instanceId?: string; onAssembled?: (assembled: Assembled) => Promise<void> }) {
  return async (job: Job, token?: string): Promise<{ sha256: string; tokens: number }> => {
    const data = parseJob('assemble', job);
    const { incidentId, engine } = data;
    if (await leaveStrangersJob(deps, job, token)) throw new DelayedError();
    return continueTrace(data, () => instrument('stage.assemble', { 'tracefix.incident_id': incidentId }, async () => {
      try {
        const result = await assembleIncident({ ...deps, log: deps.log.child({ incidentId, jobId: job.id }) }, incidentId);
        await deps.onAssembled?.({ incidentId, jobId: job.id ?? incidentId, ...(engine ? { engine } : {}) });
        return result;
      } catch (error) {
        if (error instanceof IncidentNotFoundError) {
          // Not ours to fail: a job without an owner id whose incident this database does not
          // know is left for the database that does (a shared Redis prefix).
          if (await leaveStrangersJob(deps, job, token, false)) throw new DelayedError();
          throw new UnrecoverableError(error.message);
        }
        throw error;
      }
    }));
  };
}
