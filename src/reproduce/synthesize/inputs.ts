// Argument values for a function call, rebuilt from the evidence, in order of trust:
//   1. the frame's own locals (its parameters, as they were when it crashed);
//   2. the recorded request: body fields, query parameters, route parameters, by name;
//   3. span attributes on the error's path whose last segment names the parameter
//      (`app.order_id` → order_id / orderId);
//   4. a stub for the response object of an HTTP handler (JS);
// and otherwise the parameter is left out when it has a default, or is reported missing (the
// planner then walks up to a caller).
import type { Bundle } from '../../../schemas/bundle.ts';
import type { ArgumentSource } from '../../../schemas/run.ts';
import { fillCuts, type FillOptions } from '../values/fill-cuts.ts';
import { jsonOrText, type JsValue, type Rebuilt } from '../values/locals.ts';
import { nameKey } from '../values/name-key.ts';

export type Resolved<V> =
  | { found: true; value: V; source: ArgumentSource }
  | { found: false; reason?: string };

type Local = NonNullable<Bundle['exception']['frames'][number]['locals']>[string];

export interface ValueAdapter<V> {
  fromLocal(local: Local, name: string): Rebuilt<V>;
  fromJs(value: JsValue): V;
  /** How this language's SDK cuts locals, to complete them from the request body. */
  fill: FillOptions;
}

function parseQuery(query: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!query) return out;
  for (const [k, v] of new URLSearchParams(query.replace(/^\?/, ''))) if (!(k in out)) out[k] = v;
  return out;
}

/** `/orders/:id`, `/orders/{id}`, `/orders/<int:id>` against `/orders/42` → { id: '42' }. */
export function routeParams(route: string | undefined, path: string | undefined): Record<string, string> {
  if (!route || !path) return {};
  const r = route.split('?')[0]?.split('/') ?? [];
  const p = path.split('?')[0]?.split('/') ?? [];
  if (r.length !== p.length) return {};
  const out: Record<string, string> = {};
  for (let i = 0; i < r.length; i++) {
    const seg = r[i] as string;
    const m = /^:(\w+)\??$/.exec(seg) ?? /^\{(\w+)\}$/.exec(seg) ?? /^<(?:\w+:)?(\w+)>$/.exec(seg);
    if (m?.[1]) out[m[1]] = decodeURIComponent(p[i] as string);
    else if (seg !== p[i]) return {};
  }
  return out;
}

export interface RequestParts {
  body: JsValue;
  query: Record<string, string>;
  params: Record<string, string>;
}

export function requestParts(bundle: Bundle): RequestParts | undefined {
  const req = bundle.repro.request;
  if (!req) return undefined;
  const path = req.path ?? (req.url ? safePath(req.url) : undefined);
  return {
    body: req.body !== undefined ? jsonOrText(req.body) : undefined,
    query: parseQuery(req.query ?? (req.url?.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : undefined)),
    params: routeParams(req.route, path),
  };
}

function safePath(url: string): string | undefined {
  try {
    return new URL(url, 'http://x').pathname;
  } catch {
    return undefined;
  }
}

/** A request object shaped like Express/Fastify/Koa's (`body`, `query`, `params`, `headers`…). */
export function jsRequestObject(bundle: Bundle): JsValue | undefined {
  const req = bundle.repro.request;
  const parts = requestParts(bundle);
  if (!req || !parts) return undefined;
  return {
    method: req.method ?? 'GET',
    url: req.url ?? req.path ?? '/',
    path: req.path ?? safePath(req.url ?? '/') ?? '/',
    headers: req.headers ?? {},
    query: parts.query,
    params: parts.params,
    body: parts.body,
  };
}

/** The value of parameter `name` from everything but the frame's locals. */
export function fromRequestOrSpans<V>(bundle: Bundle, name: string, adapter: ValueAdapter<V>): Resolved<V> {
  const key = nameKey(name);
  const parts = requestParts(bundle);
  if (parts) {
    const body = parts.body;
    if (body && typeof body === 'object' && !Array.isArray(body)) {
      const field = Object.keys(body).find((k) => nameKey(k) === key);
      if (field !== undefined) return { found: true, value: adapter.fromJs(body[field]), source: { name, source: 'request', detail: `request body field "${field}"` } };
    }
    const q = Object.keys(parts.query).find((k) => nameKey(k) === key);
    if (q !== undefined) return { found: true, value: adapter.fromJs(parts.query[q]), source: { name, source: 'request', detail: `query parameter "${q}"` } };
    const p = Object.keys(parts.params).find((k) => nameKey(k) === key);
    if (p !== undefined) return { found: true, value: adapter.fromJs(parts.params[p]), source: { name, source: 'route', detail: `route parameter "${p}"` } };
  }
  const spans = [bundle.trace.errorSpan, ...[...bundle.trace.ancestors].reverse()].filter((s) => s !== null);
  for (const span of spans) {
    const attr = Object.keys(span.attributes)
      .sort()
      .find((k) => nameKey(k.split('.').at(-1) ?? k) === key);
    if (attr !== undefined) {
      const raw = span.attributes[attr];
      const value = typeof raw === 'string' ? jsonOrText(raw) : raw;
      return { found: true, value: adapter.fromJs(value ?? null), source: { name, source: 'span', detail: `span "${span.name}" attribute ${attr}` } };
    }
  }
  return { found: false };
}

/** A frame's local, its depth cuts filled from the request body when they can be. */
function fromFrame<V>(bundle: Bundle, frameIndex: number, name: string, adapter: ValueAdapter<V>): Resolved<V> | undefined {
  const locals = bundle.exception.frames[frameIndex]?.locals;
  if (!locals || !Object.hasOwn(locals, name)) return undefined;
  const filled = fillCuts(locals[name] as Local, requestParts(bundle)?.body, adapter.fill, name);
  const rebuilt = adapter.fromLocal(filled.value, name);
  if (!rebuilt.ok) return { found: false, reason: rebuilt.reason };
  const detail = `frame ${frameIndex} local "${name}"${filled.filled ? ' (parts the SDK or the depth limit cut taken from the request body)' : ''}`;
  return { found: true, value: rebuilt.value, source: { name, source: 'locals', detail, ...(rebuilt.truncated ? { truncated: true } : {}) } };
}

/**
 * The value of parameter `name` of the function of frame `frameIndex`: its own local, else a
 * caller's local of the same name (callers usually pass a variable so named), else the request
 * and spans. The reason an unusable local was rejected is kept for the record.
 */
export function resolveName<V>(bundle: Bundle, frameIndex: number, name: string, adapter: ValueAdapter<V>): Resolved<V> {
  const own = fromFrame(bundle, frameIndex, name, adapter);
  if (own?.found) return own;
  for (let i = frameIndex + 1; i < bundle.exception.frames.length; i++) {
    const caller = fromFrame(bundle, i, name, adapter);
    if (caller?.found) return { ...caller, source: { ...caller.source, source: 'caller-locals' } };
  }
  const other = fromRequestOrSpans(bundle, name, adapter);
  if (other.found) return other;
  return own ?? other;
}
