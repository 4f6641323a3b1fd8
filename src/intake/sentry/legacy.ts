// The legacy per-project "WebHooks" plugin (getsentry/sentry `sentry_webhooks/plugin.py`
// `get_group_data()`): no signature, no hook headers, one body shape
// `{id, project, project_slug, culprit, message, url, level, triggering_rules, event}`. The route
// enables it only behind a secret URL token. Sentry 8/9 stored events under aliased interface
// keys (`sentry.interfaces.Stacktrace`...); current ones use `exception`, `request`... Both work.
import type { Delivery, IntakeOutcome } from '../types.ts';
import { bodyDigestId, parseJsonBody, parseWith } from '../common/payload.ts';
import { sentryEventToAlert } from './event-to-alert.ts';
import { SentryEvent, SentryLegacyBody } from './schemas.ts';

/** Sentry 8/9 interface aliases → canonical event keys (sentry `get_interface` alias table). */
const INTERFACE_ALIASES: Record<string, string> = {
  'sentry.interfaces.Exception': 'exception',
  'sentry.interfaces.Stacktrace': 'stacktrace',
  'sentry.interfaces.Http': 'request',
  'sentry.interfaces.Message': 'logentry',
  'sentry.interfaces.User': 'user',
  'sentry.interfaces.Template': 'template',
  'sentry.interfaces.Threads': 'threads',
  'sentry.interfaces.Contexts': 'contexts',
};

/** Canonical keys win when an event carries both spellings. */
export function unaliasLegacyEvent(event: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...event };
  for (const [alias, canonical] of Object.entries(INTERFACE_ALIASES)) {
    if (alias in out) {
      if (out[canonical] === undefined || out[canonical] === null) out[canonical] = out[alias];
      delete out[alias];
    }
  }
  return out;
}

export function parseSentryLegacyDelivery(delivery: Delivery): IntakeOutcome {
  const body = parseWith(SentryLegacyBody, parseJsonBody(delivery.raw), 'Sentry legacy webhook body');
  const event = parseWith(SentryEvent, unaliasLegacyEvent(body.event), 'Sentry legacy webhook event', ['event']);
  // No delivery header exists. The event id names the occurrence, so two rules firing on one
  // event (two POSTs) are one delivery; without it, the body digest.
  const deliveryId = event.event_id ? `event:${event.event_id}` : bodyDigestId(delivery.raw);
  if (!event.title && !event.message && body.message) event.message = body.message;
  const alert = sentryEventToAlert(event, {
    deliveryId,
    receivedAt: delivery.receivedAt,
    kind: 'legacy_plugin.event',
    link: body.url ?? undefined,
    refs: {
      issue_id: body.id ?? undefined,
      project: body.project_slug ?? body.project ?? undefined,
      project_slug: body.project_slug ?? undefined,
      triggering_rules: body.triggering_rules?.join(', ') || undefined,
      culprit: body.culprit ?? undefined,
    },
  });
  return { kind: 'alert', alert };
}
