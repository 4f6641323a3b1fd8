// A verified Sentry integration-platform delivery → IntakeOutcome. Dispatch on the
// `Sentry-Hook-Resource` header (+ body `action`); only resources that describe an error become
// alerts, the rest are recorded as ignored so redeliveries are still recognised.
import { header, type Delivery, type IntakeOutcome } from '../types.ts';
import { badPayload, bodyDigestId, parseJsonBody, parseWith } from '../common/payload.ts';
import { sentryEventToAlert } from './event-to-alert.ts';
import { sentryIssueToAlert } from './issue-to-alert.ts';
import { SentryEnvelope, SentryErrorData, SentryEventAlertData, SentryIssueData } from './schemas.ts';

/** Issue actions that mean "an error is happening": a new issue or a regression. */
const ISSUE_ALERT_ACTIONS = new Set(['created', 'unresolved']);

const IGNORED_RESOURCES: Record<string, string> = {
  installation: 'installation lifecycle event; nothing to repair',
  metric_alert: 'metric alerts carry no event or stack trace',
  seer: "Sentry's own Autofix progress, not an error",
  comment: 'issue comment, not an error',
  size_analysis: 'build size analysis, not an error',
};

/** The delivery id: `Request-ID` (uuid hex per delivery), else a digest of the body. */
export function sentryDeliveryId(delivery: Delivery): string {
  return header(delivery, 'request-id')?.trim() || bodyDigestId(delivery.raw);
}

export function parseSentryDelivery(delivery: Delivery): IntakeOutcome {
  const resource = header(delivery, 'sentry-hook-resource')?.trim();
  if (!resource) {
    throw badPayload('Missing Sentry-Hook-Resource header', [
      { path: 'headers.sentry-hook-resource', message: 'required on integration-platform webhooks' },
    ]);
  }
  const deliveryId = sentryDeliveryId(delivery);
  const envelope = parseWith(SentryEnvelope, parseJsonBody(delivery.raw), 'Sentry webhook body');
  const action = envelope.action || 'unknown';
  const kind = `${resource}.${action}`;
  const ignored = (reason: string): IntakeOutcome => ({ kind: 'ignored', source: 'sentry', deliveryId, event: kind, reason });
  const base = { deliveryId, receivedAt: delivery.receivedAt, kind };

  switch (resource) {
    case 'event_alert': {
      const data = parseWith(SentryEventAlertData, envelope.data, 'Sentry event_alert data', ['data']);
      const refs = { triggered_rule: data.triggered_rule ?? undefined };
      return { kind: 'alert', alert: sentryEventToAlert(data.event, { ...base, refs }) };
    }
    case 'error': {
      // The docs' sample puts the event under data.error, their header text under data.event.
      const data = envelope.data.error === undefined && envelope.data.event !== undefined
        ? { error: parseWith(SentryEventAlertData, envelope.data, 'Sentry error data', ['data']).event }
        : parseWith(SentryErrorData, envelope.data, 'Sentry error data', ['data']);
      return { kind: 'alert', alert: sentryEventToAlert(data.error, base) };
    }
    case 'issue': {
      if (!ISSUE_ALERT_ACTIONS.has(action)) return ignored(`issue ${action}: not a new or regressed error`);
      const data = parseWith(SentryIssueData, envelope.data, 'Sentry issue data', ['data']);
      return { kind: 'alert', alert: sentryIssueToAlert(data.issue, base) };
    }
    default:
      return ignored(IGNORED_RESOURCES[resource] ?? `unsupported Sentry resource "${resource}"`);
  }
}
