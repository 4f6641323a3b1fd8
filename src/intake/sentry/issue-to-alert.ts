// Sentry `issue` webhooks carry the grouped issue, not an event: no frames, no trace id. The
// Alert says so (needsEvent) and a later stage fetches the latest event (api-client.ts).
import type { Alert, Frame } from '../../../schemas/alert.ts';
import { finalizeAlert } from '../common/finalize-alert.ts';
import { organizationFromUrl } from './event-to-alert.ts';
import type { SentryIssue } from './schemas.ts';

export function sentryIssueToAlert(
  issue: SentryIssue,
  context: { deliveryId: string; receivedAt: Date; kind: string },
): Alert {
  const meta = issue.metadata;
  const errorType = meta?.type || 'Error';
  const message = meta?.value || issue.title || '';
  // metadata.filename/function name Sentry's own crash-site frame, so this one-frame stand-in
  // fingerprints like the full event will (same file:function of the top in-app frame).
  const frames: Frame[] = meta?.filename
    ? [{ file: meta.filename, ...(meta.function ? { function: meta.function } : {}), inApp: true }]
    : [];
  const link = issue.web_url || issue.permalink || undefined;
  const refs: Record<string, string | null | undefined> = {
    issue_id: issue.id,
    short_id: issue.shortId,
    project: issue.project?.slug ?? issue.project?.id,
    project_slug: issue.project?.slug,
    culprit: issue.culprit,
    organization: organizationFromUrl(link ?? issue.url ?? undefined),
  };
  const sourceRefs: Record<string, string> = {};
  for (const [key, value] of Object.entries(refs)) if (value) sourceRefs[key] = value;
  return finalizeAlert({
    source: 'sentry',
    deliveryId: context.deliveryId,
    receivedAt: context.receivedAt.toISOString(),
    kind: context.kind,
    title: issue.title || `${errorType}: ${message}`,
    errorType,
    message,
    exceptions: [{ type: errorType, message, frames }],
    frames,
    tags: {},
    link,
    needsEvent: true,
    sourceRefs,
  });
}
