// Datadog payloads are user templates: the same variable appears under whatever key each
// customer typed (`transition` vs `alert_transition`, `aggregate` vs `aggreg_key` in the captured
// body). Each logical field lists the spellings seen or likely; the first present one wins.

export const FIELD_ALIASES = {
  id: ['id', 'event_id', 'eventId', 'ID'],
  alertCycleKey: ['alert_cycle_key', 'alertCycleKey', 'cycle_key'],
  aggregKey: ['aggreg_key', 'aggregate', 'aggregation_key', 'aggregKey'],
  alertId: ['alert_id', 'monitor_id', 'alertId', 'monitorId'],
  transition: ['alert_transition', 'transition', 'alertTransition'],
  alertType: ['alert_type', 'alertType'],
  priority: ['alert_priority', 'priority', 'alertPriority'],
  eventType: ['event_type', 'eventType'],
  title: ['title', 'event_title', 'alert_title', 'eventTitle', 'alertTitle'],
  body: ['body', 'event_msg', 'message', 'msg', 'text', 'eventMsg'],
  textOnly: ['text_only_msg', 'text_only_message', 'textOnlyMsg'],
  logsSample: ['logs_sample', 'logsSample'],
  link: ['link', 'url', 'event_url', 'eventUrl'],
  tags: ['tags'],
  scope: ['alert_scope', 'scope', 'alertScope'],
  date: ['last_updated', 'date', 'lastUpdated'],
  orgId: ['org_id', 'orgId'],
  // Error details, for templates that carry them as top-level keys (custom variables).
  errorType: ['error_type', 'error.type', 'error_kind', 'error.kind', 'errorType'],
  errorMessage: ['error_message', 'error.message', 'errorMessage'],
  errorStack: ['error_stack', 'error.stack', 'stack', 'stacktrace', 'errorStack'],
  service: ['service'],
  version: ['version', 'service_version'],
  env: ['env', 'environment'],
  commit: ['commit', 'commit_sha', 'git.commit.sha', 'git_commit_sha'],
  traceId: ['trace_id', 'traceId', 'dd.trace_id'],
  traceIdHigh: ['trace_id_high', '_dd.p.tid'],
  spanId: ['span_id', 'spanId', 'dd.span_id'],
} as const;

export type FieldName = keyof typeof FIELD_ALIASES;

/** `$ID` left as-is means the variable did not exist where the template was rendered. */
const UNRENDERED = /^\$[A-Z][A-Z0-9_]*(\[[^\]]*\])?$/;

/** String value of the first alias present; numbers (an unquoted `$ALERT_ID`) become their
 * digits, unrendered `$VARS` and empty strings count as missing. */
export function pick(body: Record<string, unknown>, field: FieldName): string | undefined {
  for (const key of FIELD_ALIASES[field]) {
    const value = body[key];
    const text = typeof value === 'string' ? value.trim() : typeof value === 'number' || typeof value === 'bigint' ? String(value) : undefined;
    if (text && !UNRENDERED.test(text)) return text;
  }
  return undefined;
}

/** Datadog `$TAGS` / `$ALERT_SCOPE`: comma-separated `key:value` (or bare) tags. */
export function parseTagList(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (value ?? '').split(',')) {
    const tag = part.trim();
    if (!tag) continue;
    const colon = tag.indexOf(':');
    if (colon > 0) out[tag.slice(0, colon)] = tag.slice(colon + 1);
    else out[tag] = '';
  }
  return out;
}
