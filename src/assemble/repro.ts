// The repro section: what a reproduction needs to replay the failure. The failing request comes
// from the server span on the error's path (OTel HTTP semconv, old and new names) and the alert's
// own request (Sentry), span first; inputs point at the frames whose locals hold them; the
// environment lists what changes behaviour without changing code (TZ, locale, feature flags).
import type { z } from 'zod';
import type { Alert } from '../../schemas/alert.ts';
import type { SpanRecord } from '../../schemas/telemetry.ts';
import { CAPS, type BundleException, type BundleRepro, type ReproRequest } from '../../schemas/bundle.ts';
import { redactedString, redactScalar } from './attributes.ts';
import { canonicalJson } from './canonical.ts';
import type { Redactor } from './redactor.ts';
import { capText, PRECUT, precut, toScalar, type Scalar } from './text.ts';

type Repro = z.infer<typeof BundleRepro>;
type Request = z.infer<typeof ReproRequest>;

const HEADER_PREFIX = 'http.request.header.';
const TZ_KEYS = ['tz', 'timezone', 'process.timezone', 'host.timezone', 'app.timezone', 'culture.timezone', 'TZ', 'env.TZ', 'process.env.TZ'];
const LOCALE_KEYS = ['locale', 'app.locale', 'process.locale', 'user.locale', 'culture.locale', 'LANG', 'env.LANG', 'process.env.LANG'];
/** Semconv keys that describe a flag evaluation rather than name a flag. */
const FLAG_META = /^feature_flag\.(key|variant|provider_name|provider\.name|result\..*|context\.id|set\.id|version|evaluation\..*|reason)$/;

/** The error span and its ancestors, nearest first. */
export function pathToRoot(errorSpan: SpanRecord | null, ancestors: readonly SpanRecord[]): SpanRecord[] {
  return [...(errorSpan ? [errorSpan] : []), ...[...ancestors].reverse()];
}

export function buildRepro(alert: Alert, path: readonly SpanRecord[], exception: z.infer<typeof BundleException>, redactor: Redactor): Repro {
  return {
    request: buildRequest(alert, path, redactor),
    inputs: exception.frames.flatMap((frame, frameIndex) =>
      frame.locals && (frameIndex === 0 || frame.inApp)
        ? [{
            frameIndex,
            ...(frame.function ? { function: frame.function } : {}),
            ...(frame.file ? { file: frame.file } : {}),
            ...(frame.line !== undefined ? { line: frame.line } : {}),
            names: Object.keys(frame.locals).slice(0, CAPS.localKeys + 1),
          }]
        : [],
    ).slice(0, 3),
    env: buildEnv(alert, path, redactor),
  };
}

function buildRequest(alert: Alert, path: readonly SpanRecord[], redactor: Redactor): Request | null {
  const hasHttp = (s: SpanRecord) => s.attributes['http.request.method'] !== undefined || s.attributes['http.method'] !== undefined;
  // The incoming request: the nearest server span with HTTP attributes; an error span that is an
  // outgoing call (client) describes someone else's request.
  const span = path.find((s) => s.kind === 2 && hasHttp(s)) ?? path.find((s) => s.attributes['http.route'] !== undefined) ?? path.find(hasHttp);
  const a = span?.attributes ?? {};
  const pick = (...keys: string[]) => keys.find((k) => a[k] !== undefined && a[k] !== null && a[k] !== '');
  const str = (cap: number, ...keys: string[]) => {
    const key = pick(...keys);
    return key ? redactedString(key, a[key], redactor, cap) : undefined;
  };
  const target = typeof a['http.target'] === 'string' ? (a['http.target'] as string) : undefined;
  const out: Request = { sources: [] };
  const set = <K extends keyof Request>(key: K, value: Request[K] | undefined) => {
    if (value !== undefined && out[key] === undefined) out[key] = value;
  };
  if (span) {
    out.sources.push('span');
    set('method', str(16, 'http.request.method', 'http.method')?.toUpperCase());
    set('route', str(CAPS.url, 'http.route'));
    set('path', str(CAPS.url, 'url.path') ?? (target ? redactor.textCapped(target.split('?')[0] as string, CAPS.url) : undefined));
    set('query', str(CAPS.url, 'url.query') ?? (target?.includes('?') ? redactor.textCapped(target.slice(target.indexOf('?') + 1), CAPS.url) : undefined));
    set('url', str(CAPS.url, 'url.full', 'http.url'));
    set('userAgent', str(CAPS.headerValue, 'user_agent.original', 'http.user_agent'));
    const status = toScalar(a[pick('http.response.status_code', 'http.status_code') ?? '']);
    if (typeof status === 'number' || (typeof status === 'string' && /^\d{3}$/.test(status))) set('statusCode', Number(status));
    const bodyKey = pick('http.request.body', 'http.request.body.content');
    if (bodyKey) setBody(out, a[bodyKey], redactor);
    for (const key of Object.keys(a).sort()) {
      if (key.startsWith(HEADER_PREFIX)) addHeader(out, key, key.slice(HEADER_PREFIX.length), a[key], redactor);
    }
  }
  const req = alert.request;
  if (req) {
    out.sources.push('alert');
    set('method', req.method ? capText(req.method.toUpperCase(), 16) : undefined);
    set('url', req.url ? redactor.textCapped(req.url, CAPS.url) : undefined);
    set('query', req.query ? redactor.textCapped(req.query, CAPS.url) : undefined);
    for (const name of Object.keys(req.headers ?? {}).sort()) {
      addHeader(out, `${HEADER_PREFIX}${name.toLowerCase()}`, name.toLowerCase(), req.headers?.[name], redactor);
    }
    if (req.data !== undefined && req.data !== null) setBody(out, req.data, redactor);
    const ua = out.headers?.['user-agent'];
    if (ua !== undefined) set('userAgent', ua);
  }
  return out.sources.length ? out : null;
}

/** Header names are lower-cased (HTTP is case-insensitive) and redacted by name: authorization,
 * cookie, set-cookie, x-api-key… lose their value whatever it looks like. */
function addHeader(out: Request, attributeKey: string, name: string, value: unknown, redactor: Redactor): void {
  const headers = (out.headers ??= {});
  const key = redactor.textCapped(name.toLowerCase(), CAPS.attrKey);
  if (headers[key] !== undefined || value === undefined || value === null) return;
  const text = Array.isArray(value) ? value.map(String).join(', ') : String(value);
  // Denied by the attribute deny list under its attribute name, else redacted by header name.
  const redacted = redactor.isDenied(attributeKey) ? redactScalar(attributeKey, text, redactor, CAPS.headerValue) : redactScalar(name, text, redactor, CAPS.headerValue);
  headers[key] = String(redacted);
}

/** Bodies: objects are redacted by key and value, then written as canonical JSON; text is
 * redacted as text. Either way the result is capped. */
function setBody(out: Request, body: unknown, redactor: Redactor): void {
  if (out.body !== undefined) return;
  const raw = typeof body === 'string' ? body : (JSON.stringify(body) ?? '');
  // A huge object body is handled as text (cut first), so redaction never walks megabytes.
  const text = typeof body !== 'string' && raw.length <= PRECUT ? canonicalJson(redactor.value(body)) : redactor.text(precut(raw));
  const capped = capText(text, CAPS.requestBody, raw.length > PRECUT ? text.length + raw.length - PRECUT : text.length);
  out.body = capped;
  if (capped !== text) out.bodyTruncated = true;
}

function buildEnv(alert: Alert, path: readonly SpanRecord[], redactor: Redactor): Repro['env'] {
  // Nearest wins: the error span, then its ancestors, then their resources, then the alert's tags.
  const sources: Readonly<Record<string, unknown>>[] = [...path.map((s) => s.attributes), ...path.map((s) => s.resource), alert.tags];
  const first = (keys: readonly string[]) => {
    for (const source of sources) {
      for (const key of keys) {
        const raw = source[key];
        // Captured headers are string arrays (OTel `http.request.header.*`).
        const value = redactedString(key, Array.isArray(raw) ? raw.join(', ') : raw, redactor, CAPS.env);
        if (value !== undefined) return value;
      }
    }
    return undefined;
  };
  // The request's preferred language: the first tag of Accept-Language.
  const acceptLanguage =
    first([`${HEADER_PREFIX}accept-language`]) ?? alert.request?.headers?.['Accept-Language'] ?? alert.request?.headers?.['accept-language'];
  const locale = first(LOCALE_KEYS) ?? (acceptLanguage ? redactor.textCapped(acceptLanguage.split(/[,;]/)[0]?.trim() ?? '', CAPS.env) || undefined : undefined);
  const tz = first(TZ_KEYS);
  const deploymentEnvironment =
    first(['deployment.environment.name', 'deployment.environment']) ?? (alert.environment ? redactor.textCapped(alert.environment, CAPS.env) : undefined);
  return {
    ...(tz ? { tz } : {}),
    ...(locale ? { locale } : {}),
    ...(deploymentEnvironment ? { deploymentEnvironment } : {}),
    featureFlags: featureFlags(path, redactor),
  };
}

/** `feature_flag.<name>` attributes (span or resource) and semconv evaluation events
 * (`feature_flag.key` + variant/value). The root's flags first so nearer spans override. */
function featureFlags(path: readonly SpanRecord[], redactor: Redactor): Record<string, Scalar> {
  const flags: Record<string, Scalar> = {};
  const put = (name: string, value: unknown) => {
    flags[redactor.textCapped(name, CAPS.attrKey)] = redactScalar(`feature_flag.${name}`, value ?? true, redactor, CAPS.attrValue);
  };
  const fromEvaluation = (attrs: Readonly<Record<string, unknown>>) => {
    const key = attrs['feature_flag.key'];
    if (typeof key === 'string' && key) {
      put(key, attrs['feature_flag.result.variant'] ?? attrs['feature_flag.variant'] ?? attrs['feature_flag.result.value'] ?? attrs['feature_flag.value']);
    }
  };
  for (const span of [...path].reverse()) {
    for (const attrs of [span.resource, span.attributes]) {
      for (const key of Object.keys(attrs).sort()) {
        if (key.startsWith('feature_flag.') && !FLAG_META.test(key)) put(key.slice('feature_flag.'.length), attrs[key]);
      }
      fromEvaluation(attrs);
    }
    for (const event of span.events) if (event.name.startsWith('feature_flag')) fromEvaluation(event.attributes);
  }
  return flags;
}
