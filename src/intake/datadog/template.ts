// The Datadog setup tracefix recommends, in two parts, and the parser for the block it produces.
//
// 1. The Webhooks integration payload (DATADOG_RECOMMENDED_PAYLOAD): only `$VARS` work there
//    (docs.datadoghq.com/integrations/webhooks). There is no $TRACE_ID / $STACK variable.
// 2. The monitor message (DATADOG_RECOMMENDED_LOG_MONITOR_BLOCK / ..._APM_MONITOR_BLOCK): monitor
//    messages render "matching attribute/tag variables" of the log or span that triggered the
//    monitor (`{{log.attributes.[error.stack]}}`, reserved `{{log.trace_id}}`, `{{span.trace_id}}`,
//    `{{span.service}}`...; docs.datadoghq.com/monitors/notify/variables). The rendered message
//    reaches the webhook as $EVENT_MSG / $TEXT_ONLY_MSG, JSON-escaped by Datadog. Triple braces
//    stop Datadog's default escaping of the variable content (stacks contain `<anonymous>`).
//    Attribute names with dots need the bracket form `[error.stack]`.
// The `[tracefix]` … `[/tracefix]` block is plain text so it survives both the markdown of
// $EVENT_MSG and the markdown stripping of $TEXT_ONLY_MSG; `error.stack:` comes last because
// everything after it up to `[/tracefix]` is the (multi-line) stack.

export const DATADOG_RECOMMENDED_PAYLOAD = `{
  "id": "$ID",
  "alert_id": "$ALERT_ID",
  "alert_cycle_key": "$ALERT_CYCLE_KEY",
  "aggreg_key": "$AGGREG_KEY",
  "alert_transition": "$ALERT_TRANSITION",
  "alert_type": "$ALERT_TYPE",
  "alert_priority": "$ALERT_PRIORITY",
  "alert_scope": "$ALERT_SCOPE",
  "event_type": "$EVENT_TYPE",
  "title": "$EVENT_TITLE",
  "date": "$DATE",
  "last_updated": "$LAST_UPDATED",
  "body": "$EVENT_MSG",
  "text_only_msg": "$TEXT_ONLY_MSG",
  "logs_sample": "$LOGS_SAMPLE",
  "link": "$LINK",
  "tags": "$TAGS",
  "hostname": "$HOSTNAME",
  "org": { "id": "$ORG_ID", "name": "$ORG_NAME" }
}`;

/** Paste into a Log monitor's message (query e.g. `status:error service:checkout @error.stack:*`).
 * Log error attributes are `error.kind`, `error.message`, `error.stack` (Datadog standard attributes). */
export const DATADOG_RECOMMENDED_LOG_MONITOR_BLOCK = `[tracefix]
error.type: {{{log.attributes.[error.kind]}}}
error.message: {{{log.attributes.[error.message]}}}
service: {{log.service}}
version: {{log.tags.version}}
env: {{log.tags.env}}
commit: {{log.tags.[git.commit.sha]}}
trace_id: {{log.trace_id}}
span_id: {{log.span_id}}
error.stack:
{{{log.attributes.[error.stack]}}}
[/tracefix]`;

/** Paste into an APM Trace Analytics monitor's message (query e.g. `service:checkout status:error`).
 * Span error attributes are `error.type`, `error.message`, `error.stack`. */
export const DATADOG_RECOMMENDED_APM_MONITOR_BLOCK = `[tracefix]
error.type: {{{span.attributes.[error.type]}}}
error.message: {{{span.attributes.[error.message]}}}
service: {{span.service}}
version: {{span.tags.version}}
env: {{span.env}}
commit: {{span.tags.[git.commit.sha]}}
trace_id: {{span.trace_id}}
span_id: {{span.span_id}}
resource: {{span.resource_name}}
error.stack:
{{{span.attributes.[error.stack]}}}
[/tracefix]`;

export interface TracefixBlock {
  fields: Record<string, string>;
  stack?: string;
}


/** Undoes the HTML escaping Datadog applies to `{{double-brace}}` variables, for users who did
 * not use triple braces. */
export function unescapeHtml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x?0*27;|&#39;|&apos;/g, "'")
    .replace(/&#x60;|&#96;/g, '`')
    .replace(/&#x3D;|&#61;/g, '=')
    .replace(/&amp;/g, '&');
}

/** Finds the `[tracefix]` block in a rendered monitor message. Empty values (a variable the
 * matching event lacked renders empty) are dropped. */
export function parseTracefixBlock(text: string): TracefixBlock | undefined {
  // indexOf, not a lazy regex: many unclosed `[tracefix]` markers must not cost O(n²).
  const lower = text.toLowerCase();
  const start = lower.indexOf('[tracefix]');
  const end = start < 0 ? -1 : lower.indexOf('[/tracefix]', start);
  if (end < 0) return undefined;
  const lines = text.slice(start + '[tracefix]'.length, end).split(/\r?\n/);
  const fields: Record<string, string> = {};
  let stack: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    const kv = /^([\w.-]+)\s*:\s?(.*)$/.exec(line);
    if (!kv?.[1]) continue;
    const key = kv[1].toLowerCase();
    if (key === 'error.stack') {
      const rest = [kv[2] ?? '', ...lines.slice(i + 1)].join('\n');
      stack = unescapeHtml(rest.replace(/^\s*(```|~~~)[^\n]*\n?/gm, '')).trim() || undefined;
      break;
    }
    const value = unescapeHtml(kv[2] ?? '').trim();
    if (value) fields[key] = value;
  }
  return stack === undefined ? { fields } : { fields, stack };
}
