// Sentry `issue` webhooks have no event. This fetches the issue's latest event from the Sentry
// REST API and normalizes it through the same event → Alert code as the webhooks.
//   GET /api/0/organizations/{org}/issues/{issue_id}/events/latest/   (current docs)
//   GET /api/0/issues/{issue_id}/events/latest/                        (older, still served)
// Auth: `Authorization: Bearer <token>` with scope event:read (docs.sentry.io/api/events/).
import { ZodError } from 'zod';
import type { Alert } from '../../../schemas/alert.ts';
import type { Config } from '../../config.ts';
import { AppError } from '../../errors.ts';
import { apiEventToStoredEvent, SentryApiEvent } from './api-event.ts';
import { sentryEventToAlert } from './event-to-alert.ts';

export class SentryApiError extends AppError {
  readonly status: number | undefined;
  constructor(message: string, status?: number, options?: { cause?: unknown }) {
    super('TF_SENTRY_API', message, options);
    this.status = status;
  }
}

export interface FetchEventOptions {
  fetch?: typeof fetch;
  /** The Alert's deliveryId; default `sentry-api:<issue>:<event>`. */
  deliveryId?: string;
  now?: Date;
  timeoutMs?: number;
}

export function latestEventUrl(apiUrl: string, issueId: string, orgSlug?: string): string {
  const base = apiUrl.replace(/\/+$/, '');
  const issue = encodeURIComponent(issueId);
  return orgSlug
    ? `${base}/api/0/organizations/${encodeURIComponent(orgSlug)}/issues/${issue}/events/latest/`
    : `${base}/api/0/issues/${issue}/events/latest/`;
}

export async function fetchLatestSentryEvent(
  config: Pick<Config, 'sentry'>,
  issueId: string,
  orgSlug?: string,
  options: FetchEventOptions = {},
): Promise<Alert> {
  const token = config.sentry.token;
  if (!token) throw new SentryApiError('TRACEFIX_SENTRY_TOKEN is not set; cannot fetch the issue event');
  if (!/^\d{1,20}$/.test(issueId)) throw new SentryApiError(`"${issueId}" is not a Sentry issue id`);
  if (orgSlug !== undefined && !/^[\w.-]{1,100}$/.test(orgSlug)) throw new SentryApiError(`"${orgSlug}" is not an organization slug`);
  const url = latestEventUrl(config.sentry.apiUrl, issueId, orgSlug);
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(url, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (error) {
    throw new SentryApiError(`Sentry API request failed: ${(error as Error).message}`, undefined, { cause: error });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new SentryApiError(`Sentry API answered ${response.status} for issue ${issueId}`, response.status);
  }
  let event;
  try {
    const api = SentryApiEvent.parse(await response.json());
    const webUrl = orgSlug && api.groupID && api.eventID
      ? `${config.sentry.apiUrl.replace(/\/+$/, '')}/organizations/${orgSlug}/issues/${api.groupID}/events/${api.eventID}/`
      : undefined;
    event = apiEventToStoredEvent(api, webUrl);
  } catch (error) {
    const detail = error instanceof ZodError ? error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : (error as Error).message;
    throw new SentryApiError(`Sentry API event has an unexpected shape: ${detail}`, response.status, { cause: error });
  }
  return sentryEventToAlert(event, {
    deliveryId: options.deliveryId ?? `sentry-api:${issueId}:${event.event_id ?? 'latest'}`,
    receivedAt: options.now ?? new Date(),
    kind: 'issue.latest_event',
    refs: { organization: orgSlug },
  });
}
