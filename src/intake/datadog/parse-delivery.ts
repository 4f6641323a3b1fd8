// An authenticated Datadog webhook delivery → IntakeOutcome. The body is a user template, so
// every field is optional: error details come from the `[tracefix]` block of the recommended
// monitor message (template.ts), else from top-level keys, else from a stack found anywhere in
// the message; ids stay strings end to end.
import type { ExceptionValue } from '../../../schemas/alert.ts';
import { finalizeAlert } from '../common/finalize-alert.ts';
import { asCommitSha, commitFromRelease } from '../../evidence/ids.ts';
import { bodyDigestId } from '../common/payload.ts';
import { parseErrorHeadline, parseStackText } from '../../evidence/stack-text.ts';
import type { Delivery, IntakeOutcome } from '../types.ts';
import { decodeDatadogBody } from './body.ts';
import { parseTagList, pick, type FieldName } from './fields.ts';
import { parseTracefixBlock, unescapeHtml } from './template.ts';
import { datadogSpanIdToHex, datadogTraceIdToHex } from './trace-id.ts';

/** Transitions that are not a failure happening: recovery and missing data. */
const NOT_FAILING = /^(recovered|re-?no ?data|no ?data)$/;
const TRANSITION_IN_TITLE = /^\s*(?:\[P\d\]\s*)?\[(Triggered|Re-Triggered|Recovered|Warn|Re-Warn|No Data|Re-No Data|Renotify)\b/i;

/** Datadog's delivery id: `$ID` (event id), else `$ALERT_CYCLE_KEY`, else `$AGGREG_KEY` — which
 * is the same for every notification of a monitor group, so it is qualified with the date when
 * the template has one — else a digest of the body. */
export function datadogDeliveryId(body: Record<string, unknown>, raw: Buffer): string {
  const id = pick(body, 'id');
  if (id) return id;
  const cycle = pick(body, 'alertCycleKey');
  if (cycle) return `cycle:${cycle}`;
  const aggreg = pick(body, 'aggregKey');
  if (aggreg) {
    const date = pick(body, 'date');
    return date ? `aggreg:${aggreg}@${date}` : `aggreg:${aggreg}`;
  }
  return bodyDigestId(raw);
}

function firstStack(texts: string[]): ExceptionValue[] {
  for (const text of texts) {
    const chain = parseStackText(text);
    if (chain.length > 0) return chain;
  }
  return [];
}

/** `%%%\n…\n%%%` is Datadog's markdown fence around $EVENT_MSG. */
function stripMarkdownFence(text: string): string {
  return text.replace(/^\s*%%%\s*\n?/, '').replace(/\n?\s*%%%\s*$/, '').trim();
}

export function parseDatadogDelivery(delivery: Delivery): IntakeOutcome {
  const body = decodeDatadogBody(delivery);
  const deliveryId = datadogDeliveryId(body, delivery.raw);
  const get = (field: FieldName) => pick(body, field);
  const rawTitle = get('title') ?? '';
  const transition = (get('transition') ?? TRANSITION_IN_TITLE.exec(rawTitle)?.[1] ?? (get('alertType') === 'success' ? 'Recovered' : 'Triggered')).trim();
  const eventType = get('eventType') ?? 'monitor';
  const kind = `${eventType}.${transition}`.toLowerCase().replace(/\s+/g, '_');
  if (NOT_FAILING.test(transition.toLowerCase())) {
    return { kind: 'ignored', source: 'datadog', deliveryId, event: kind, reason: `monitor transition "${transition}" is not a failure` };
  }

  const message = stripMarkdownFence(get('body') ?? '');
  const textOnly = get('textOnly') ?? '';
  const block = parseTracefixBlock(message) ?? parseTracefixBlock(textOnly);
  const field = (name: string, fallback: FieldName) => block?.fields[name] || get(fallback);
  const stackText = block?.stack ?? get('errorStack');
  // Without the block, a stack may still sit in the message or in a log monitor's $LOGS_SAMPLE.
  const exceptions: ExceptionValue[] = stackText
    ? parseStackText(stackText)
    : firstStack([unescapeHtml(message), unescapeHtml(textOnly), get('logsSample') ?? '']);
  if (stackText && exceptions.length === 0) {
    // A stack we cannot parse (another language) is still evidence: keep it as text.
    exceptions.push({ type: 'Error', message: '', frames: [], rawStack: stackText });
  }
  const raised = exceptions.at(-1);
  const cleanTitle = rawTitle.replace(/^(\s*\[[^\]]*\])+\s*/, '').trim();
  const errorType = field('error.type', 'errorType') ?? field('error.kind', 'errorType') ?? (raised && raised.type !== 'Error' ? raised.type : undefined) ?? parseErrorHeadline(cleanTitle)?.type ?? 'Error';
  const errorMessage = field('error.message', 'errorMessage') || raised?.message || parseErrorHeadline(cleanTitle)?.message || cleanTitle || textOnly.split('\n')[0] || '';
  if (raised) {
    raised.type = errorType;
    raised.message ||= errorMessage;
  }

  const tags = { ...parseTagList(get('scope')), ...parseTagList(get('tags')) };
  const version = field('version', 'version') || tags.version || undefined;
  const monitorUrl = /https?:\/\/[^\s)\]]+\/monitors\/(\d+)[^\s)\]]*/.exec(message);
  const org = body.org && typeof body.org === 'object' ? (body.org as Record<string, unknown>) : {};
  const refs: Record<string, string | undefined> = {
    event_id: get('id'),
    monitor_id: get('alertId') ?? monitorUrl?.[1],
    alert_cycle_key: get('alertCycleKey'),
    aggreg_key: get('aggregKey'),
    org_id: get('orgId') ?? (typeof org.id === 'string' || typeof org.id === 'number' ? String(org.id) : undefined),
    priority: get('priority'),
    event_type: get('eventType'),
    resource: block?.fields.resource,
  };
  const sourceRefs: Record<string, string> = {};
  for (const [key, value] of Object.entries(refs)) if (value && !value.startsWith('$')) sourceRefs[key] = value;

  const alert = finalizeAlert({
    source: 'datadog',
    deliveryId,
    receivedAt: delivery.receivedAt.toISOString(),
    kind,
    title: rawTitle || `${errorType}: ${errorMessage}`,
    errorType,
    message: errorMessage,
    exceptions: exceptions.length > 0 ? exceptions : [{ type: errorType, message: errorMessage, frames: [] }],
    frames: raised?.frames ?? [],
    traceId: datadogTraceIdToHex(field('trace_id', 'traceId'), field('trace_id_high', 'traceIdHigh')),
    spanId: datadogSpanIdToHex(field('span_id', 'spanId')),
    release: version,
    commitSha: asCommitSha(field('commit', 'commit')) ?? commitFromRelease(version),
    environment: field('env', 'env') || tags.env || undefined,
    service: field('service', 'service') || tags.service || undefined,
    tags,
    link: get('link') ?? monitorUrl?.[0],
    sourceRefs,
  });
  return { kind: 'alert', alert };
}
