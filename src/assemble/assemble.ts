// assembleBundle(): alerts + spans + logs → the incident's bundle, its canonical JSON and sha256.
// A plain function: the BullMQ `assemble` worker and the CLI both call it. The steps, in order:
// correlate (alert, error span, path) → build each section, redacting every input as it enters
// → one redaction pass over the whole draft → token budget → schema validation → canonical JSON.
import { Alert, AlertSource } from '../../schemas/alert.ts';
import type { LogRecord, SpanRecord } from '../../schemas/telemetry.ts';
import { BUNDLE_VERSION, Bundle, CAPS, type ReproTest } from '../../schemas/bundle.ts';
import { instrument } from '../telemetry.ts';
import { applyBudget } from './budget.ts';
import { canonicalJson, sha256Hex } from './canonical.ts';
import { resolveRepo } from './commit.ts';
import { correlate, pickAlert } from './correlate.ts';
import { buildEnvironment } from './environment.ts';
import { buildException } from './exception.ts';
import { buildLogs } from './logs.ts';
import { LIMITS, resolveOptions, type AssembleOptions } from './options.ts';
import { redactEverywhere } from './redact-bundle.ts';
import { Redactor } from './redactor.ts';
import { buildRepro, pathToRoot } from './repro.ts';
import { spanService } from './spans.ts';
import { nsToIso, nsToMs } from './time.ts';
import { loadTokenizer } from './tokens.ts';
import { buildTrace } from './trace-section.ts';

/** What the assembler needs of an incident: a subset of the store's IncidentRow. */
export interface IncidentInput {
  id: string;
  fingerprint: string;
  source?: string;
  title?: string;
  firstSeen?: string;
  lastSeen?: string;
  alertCount?: number;
}

export interface AssembleInput {
  incident: IncidentInput;
  /** Every alert of the incident (at least one). */
  alerts: readonly Alert[];
  /** The incident's trace as the trace store returned it (other traces are ignored). */
  spans: readonly SpanRecord[];
  /** Log records around the error: the trace's, and the service's near the error time. */
  logs: readonly LogRecord[];
  options: AssembleOptions;
  /** A `ci` incident's failing test, recorded as the bundle's reproduction. */
  reproTest?: ReproTest;
}

export interface AssembleResult {
  bundle: Bundle;
  /** Sorted keys, no whitespace: what is stored and hashed. */
  canonicalJson: string;
  sha256: string;
}

export function assembleBundle(input: AssembleInput): Promise<AssembleResult> {
  const attributes = { 'tracefix.incident.id': input.incident.id, 'tracefix.spans': input.spans.length, 'tracefix.logs': input.logs.length };
  return instrument('assemble.bundle', attributes, () => assemble(input));
}

async function assemble(input: AssembleInput): Promise<AssembleResult> {
  const options = resolveOptions(input.options);
  const countTokens = await loadTokenizer(options.tokenizer);
  const alerts = input.alerts.map((a) => Alert.parse(a));
  const redactor = new Redactor(options.redaction, input.incident.id);
  const attrs = { redactor, allow: options.allow };

  const alert = pickAlert(alerts);
  const corr = correlate(alert, input.spans);
  const errorSpan = corr.errorSpan;
  const service = (errorSpan ? spanService(errorSpan) : undefined) ?? alert.service;
  const resource = errorSpan?.resource ?? corr.traceSpans[0]?.resource ?? {};
  // When the error happened: its exception event, else the error span's end, else the alert.
  const errorNs = errorSpan ? (errorSpan.events.find((e) => e.name === 'exception')?.timeUnixNano ?? errorSpan.endTimeUnixNano) : undefined;
  const errorMs = errorNs !== undefined ? nsToMs(errorNs) : Date.parse(alert.receivedAt);

  const exception = buildException(alert, errorSpan, redactor);
  const draft: Bundle = {
    version: BUNDLE_VERSION,
    incident: buildIncident(input.incident, alerts, alert, redactor),
    repo: resolveRepo({ alert, resource, service, releaseCommits: options.releaseCommits, serviceRepos: options.serviceRepos, sentryProjectRepos: options.sentryProjectRepos, redactor }),
    exception,
    trace: buildTrace(corr, attrs),
    logs: buildLogs(input.logs, {
      traceId: corr.traceId,
      errorMs,
      errorTime: errorNs !== undefined ? nsToIso(errorNs) : new Date(errorMs).toISOString(),
      service,
      windowSeconds: options.logWindowSeconds,
      attrs,
    }),
    repro: { ...buildRepro(alert, pathToRoot(errorSpan, corr.ancestors), exception, redactor), ...(input.reproTest ? { test: input.reproTest } : {}) },
    environment: buildEnvironment(alert, resource, service, redactor),
    redaction: { scheme: 'hmac-sha256', scope: 'incident', keyId: redactor.keyId, counts: {}, total: 0 },
    budget: { tokenizer: options.tokenizer, limit: options.tokenBudget, tokensBefore: 0, tokensAfter: 0, overBudget: false, dropped: [] },
  };
  const { redaction, budget, ...evidence } = draft;
  const bundle: Bundle = { ...redactEverywhere(evidence, redactor), redaction, budget };
  // Counted over everything gathered, before the budget drops any of it.
  const counts = redactor.counts();
  bundle.redaction.counts = counts;
  bundle.redaction.total = Object.values(counts).reduce((a, b) => a + b, 0);

  applyBudget(bundle, options.tokenBudget, countTokens);
  const parsed = Bundle.safeParse(bundle);
  if (!parsed.success) {
    // A bug in a section builder, not bad input: say exactly which field broke the contract.
    throw new Error(`assembled bundle violates schemas/bundle.ts: ${parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const json = canonicalJson(parsed.data);
  return { bundle: parsed.data, canonicalJson: json, sha256: sha256Hex(json) };
}

function buildIncident(incident: IncidentInput, alerts: readonly Alert[], alert: Alert, redactor: Redactor): Bundle['incident'] {
  const times = alerts.map((a) => Date.parse(a.receivedAt));
  const iso = (value: string | undefined, fallback: number) => new Date(value !== undefined && !Number.isNaN(Date.parse(value)) ? value : fallback).toISOString();
  const source = AlertSource.safeParse(incident.source);
  const links = [...new Set(alerts.toReversed().flatMap((a) => (a.link ? [a.link] : [])))].slice(0, LIMITS.links);
  return {
    id: incident.id,
    fingerprint: incident.fingerprint,
    source: source.success ? source.data : alert.source,
    title: redactor.textCapped(incident.title ?? alert.title, CAPS.title),
    firstSeen: iso(incident.firstSeen, Math.min(...times)),
    lastSeen: iso(incident.lastSeen, Math.max(...times)),
    count: Math.max(1, incident.alertCount ?? alerts.length),
    links: links.map((link) => redactor.textCapped(link, CAPS.url)),
  };
}
