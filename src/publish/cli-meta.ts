// What `tracefix publish --bundle` adds from the run's bundle: the trace id for the commit trailer
// and the incident's source links (a GitHub issue: repo and number; Sentry: short id and link).
import { readFile } from 'node:fs/promises';
import { Bundle } from '../../schemas/bundle.ts';
import type { IncidentLinks } from './body.ts';
import { PublishError } from './errors.ts';

export async function parsePublishMeta(file: string): Promise<{ traceId?: string; links?: IncidentLinks }> {
  let bundle: Bundle;
  try {
    bundle = Bundle.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch (error) {
    throw new PublishError('input', `--bundle ${file}: not a tracefix bundle (${(error as Error).message.split('\n')[0]?.slice(0, 200)})`);
  }
  const links: IncidentLinks = {};
  for (const link of bundle.incident.links) {
    const gh = /^https?:\/\/[^/]+\/([^/]+\/[^/]+)\/issues\/(\d+)$/.exec(link);
    if (bundle.incident.source === 'github' && gh) links.githubIssue = { repo: gh[1]!, number: Number(gh[2]) };
    if (bundle.incident.source === 'sentry' && /^https?:\/\//.test(link)) links.sentry = { url: link };
  }
  return { ...(bundle.trace.traceId ? { traceId: bundle.trace.traceId } : {}), links };
}
