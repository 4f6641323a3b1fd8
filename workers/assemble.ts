// The `assemble` processor: parse the job, assemble the incident's bundle, record it. A missing
// incident will not appear by retrying; everything else (database, trace source) is retried.
import { UnrecoverableError, type Job } from 'bullmq';
import { IncidentJob } from '../schemas/jobs.ts';
import { assembleIncident, IncidentNotFoundError, type AssembleDeps } from '../src/assemble/assemble-incident.ts';
import { instrument } from '../src/telemetry.ts';

/** `onAssembled` starts the next stage (the reproduce job); a failure there retries the job. */
export function assembleProcessor(deps: AssembleDeps & { onAssembled?: (incidentId: string, jobId?: string) => Promise<void> }) {
  return async (job: Job): Promise<{ sha256: string; tokens: number }> => {
    const parsed = IncidentJob.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`bad assemble job data: ${parsed.error.message}`);
    const { incidentId } = parsed.data;
    return instrument('stage.assemble', { 'tracefix.incident_id': incidentId }, async () => {
      try {
        const result = await assembleIncident({ ...deps, log: deps.log.child({ incidentId, jobId: job.id }) }, incidentId);
        // A re-run (a regression's assemble job) has its own job id, so its reproduce job is new too.
        await deps.onAssembled?.(incidentId, job.id);
        return result;
      } catch (error) {
        if (error instanceof IncidentNotFoundError) throw new UnrecoverableError(error.message);
        throw error;
      }
    });
  };
}
