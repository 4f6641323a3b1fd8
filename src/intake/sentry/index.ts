// Sentry intake: what the webhook routes and the event-fetching stage call.
export { verifySentrySignature, isSentryTimestampStale } from './signature.ts';
export { parseSentryDelivery, sentryDeliveryId } from './parse-delivery.ts';
export { parseSentryLegacyDelivery, unaliasLegacyEvent } from './legacy.ts';
export { sentryEventToAlert, type SentryEventContext } from './event-to-alert.ts';
export { sentryIssueToAlert } from './issue-to-alert.ts';
export { fetchLatestSentryEvent, latestEventUrl, SentryApiError, type FetchEventOptions } from './api-client.ts';
