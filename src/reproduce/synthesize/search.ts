// The input search: values for parameters nobody recorded. The Node SDK sends frame locals only
// when the application opts in, and issue reports and Datadog alerts never carry any, so a
// parameter without a recorded value is the common case. Instead of giving up, candidates are
// tried in order of how much evidence stands behind them:
//   1. the failing request: query, route and body values and app span attributes, under any name
//      (the handler passed `Number(req.query.limit)` as `pageSize`), coerced to the parameter's type;
//   2. callers' locals further up the recorded stack, under any name;
//   3. the parameter's type and its boundaries (empty, zero, negative, huge, NaN, None/undefined);
//   4. the values the repository's own tests pass to the function.
// A guess is safe only because of the gate: a candidate counts when the test fails with the
// incident's exact signature N of N times, and every searched value is marked as such.
import type { Bundle } from '../../../schemas/bundle.ts';
import type { ArgumentSource } from '../../../schemas/run.ts';
import { requestParts, type ValueAdapter } from './inputs.ts';
import type { JsValue } from '../values/locals.ts';

export type ValueKind = 'number' | 'integer' | 'string' | 'array' | 'object' | 'boolean' | 'unknown';

export interface SearchParam {
  name: string;
  /** Declared type as written: TS annotation, JSDoc `{T}`, Python hint. */
  type?: string | null | undefined;
  /** Default value source text (JS). */
  defaultText?: string | undefined;
}

export interface SearchAdapter<V> extends ValueAdapter<V> {
  /** The kind of a value (for type compatibility); `null` for null/None/undefined. */
  kindOf(value: V): ValueKind | null;
  /** A stable text of the value, to drop duplicates (the literal the test would contain). */
  key(value: V): string;
}

export interface SearchCandidate<V> {
  value: V;
  tier: number;
  source: ArgumentSource;
}

/** Tiers in the order the issue asks: request, callers, type boundaries, the repository's tests. */
const TIER = { request: 0, caller: 1, boundary: 2, fixture: 3 } as const;

const NUMBER_NAME = /^(n|num|count|limit|size|page|pages|perpage|pagesize|offset|total|amount|qty|quantity|index|idx|days|hours|minutes|seconds|ms|timeout|max|min|width|height|length|len|rate|percent|ratio|price|cost|step|depth|level|retries|attempts)$|(count|size|limit|total|amount|ms|days|index|number|num|qty|rate)$/i;
const ARRAY_NAME = /^(items|list|rows|entries|lines|values|records|orders|elements)$|[^su]s$/i;
const STRING_NAME = /(name|text|str|label|title|code|key|date|email|url|path|format|locale|currency|query|slug|token|message|s)$/i;

function strip(type: string): { inner: string; nullable: boolean } {
  let t = type.trim();
  let nullable = false;
  const opt = /^(?:typing\.)?Optional\[(.*)\]$/.exec(t);
  if (opt?.[1]) {
    t = opt[1];
    nullable = true;
  }
  const parts = t.split('|').map((p) => p.trim()).filter(Boolean);
  const kept = parts.filter((p) => !/^(None|null|undefined|void)$/.test(p));
  if (kept.length < parts.length) nullable = true;
  return { inner: kept.length === 1 ? (kept[0] as string) : kept.join(' | '), nullable };
}

/** The kind a parameter expects, from its declared type, else its default, else its name. */
export function expectedKind(p: SearchParam): ValueKind {
  if (p.type) {
    const { inner } = strip(p.type);
    if (/^(number|float|bigint|Decimal|decimal\.Decimal)$/.test(inner)) return 'number';
    if (/^int$/.test(inner)) return 'integer';
    if (/^(string|str)$/.test(inner) || /^'[^']*'( \| '[^']*')*$/.test(inner)) return 'string';
    if (/^(boolean|bool)$/.test(inner)) return 'boolean';
    if (/\[\]$/.test(inner) || /^(Readonly)?Array<|^ReadonlyArray<|^(typing\.)?(list|List|Sequence|Iterable|tuple|Tuple|set|Set|frozenset)\b/.test(inner)) return 'array';
    if (/^(object|Object|Record<|\{|(typing\.)?(dict|Dict|Mapping|MutableMapping)\b|Map<)/.test(inner)) return 'object';
    if (/^[A-Z]\w*$/.test(inner) && !/^(Date|Any|unknown|any)$/.test(inner)) return 'object';
  }
  if (p.defaultText) {
    const d = p.defaultText.trim();
    if (/^-?\d/.test(d)) return 'number';
    if (/^['"`]/.test(d)) return 'string';
    if (d.startsWith('[')) return 'array';
    if (d.startsWith('{')) return 'object';
    if (d === 'true' || d === 'false') return 'boolean';
  }
  if (NUMBER_NAME.test(p.name.replace(/_/g, ''))) return 'number';
  if (ARRAY_NAME.test(p.name)) return 'array';
  if (STRING_NAME.test(p.name)) return 'string';
  return 'unknown';
}

function compatible(expected: ValueKind, actual: ValueKind | null): boolean {
  if (expected === 'unknown' || actual === null) return true;
  if (expected === 'integer' || expected === 'number') return actual === 'number' || actual === 'integer';
  return expected === actual;
}

const NUMERIC = /^-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?$/;

/** A request value as the parameter's type would see it after the handler's conversion. */
function coerce(value: JsValue, kind: ValueKind): JsValue[] {
  if (typeof value === 'string') {
    const n = NUMERIC.test(value.trim()) ? Number(value) : undefined;
    if (kind === 'number' || kind === 'integer') return n === undefined ? [] : [n];
    if (kind === 'boolean') return value === 'true' ? [true] : value === 'false' ? [false] : [];
    if (kind === 'unknown') return n === undefined ? [value] : [n, value];
    return kind === 'string' ? [value] : [];
  }
  return [value];
}

const APP_ATTRIBUTE = /^(?!(http|net|url|server|client|user_agent|otel|telemetry|code|exception|thread|network|service|process|host|os|db|rpc|messaging|enduser|session|error|sentry)\.)/;

function requestCandidates(bundle: Bundle): { value: JsValue; detail: string }[] {
  const out: { value: JsValue; detail: string }[] = [];
  const parts = requestParts(bundle);
  if (parts) {
    for (const [k, v] of Object.entries(parts.query)) out.push({ value: v, detail: `query parameter "${k}" of the failing request` });
    for (const [k, v] of Object.entries(parts.params)) out.push({ value: v, detail: `route parameter "${k}" of the failing request` });
    const body = parts.body;
    if (body && typeof body === 'object' && !Array.isArray(body)) {
      for (const [k, v] of Object.entries(body)) out.push({ value: v, detail: `request body field "${k}"` });
    }
    if (body !== undefined) out.push({ value: body, detail: 'the request body' });
  }
  const spans = [bundle.trace.errorSpan, ...[...bundle.trace.ancestors].reverse()].filter((s) => s !== null);
  for (const span of spans) {
    for (const key of Object.keys(span.attributes).sort()) {
      const raw = span.attributes[key];
      if (!APP_ATTRIBUTE.test(key) || (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean')) continue;
      out.push({ value: raw, detail: `span "${span.name}" attribute ${key}` });
    }
  }
  return out;
}

function boundaries(kind: ValueKind): JsValue[] {
  switch (kind) {
    case 'number':
      return [0, -1, Number.MAX_SAFE_INTEGER, Number.NaN, null, undefined];
    case 'integer':
      return [0, -1, Number.MAX_SAFE_INTEGER, null];
    case 'string':
      return ['', ' ', 'invalid', null, undefined];
    case 'array':
      return [[], [null], null, undefined];
    case 'object':
      return [{}, null, undefined];
    case 'boolean':
      return [false, true, null, undefined];
    default:
      return [undefined, null, 0, '', [], {}, -1, Number.NaN];
  }
}

function describe(value: JsValue): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (value === undefined) return 'undefined/None';
  const s = JSON.stringify(value);
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
}

export interface SearchInput<V> {
  bundle: Bundle;
  frameIndex: number;
  param: SearchParam;
  adapter: SearchAdapter<V>;
  /** Values the repository's tests pass for this parameter. */
  fixtures: readonly V[];
  /** At most this many candidates per tier. @defaultValue 6 */
  perTier?: number;
}

/** Candidate values for one parameter, best evidence first, duplicates dropped. */
export function searchCandidates<V>(input: SearchInput<V>): SearchCandidate<V>[] {
  const { bundle, param, adapter } = input;
  const perTier = input.perTier ?? 6;
  const kind = expectedKind(param);
  const seen = new Set<string>();
  const out: SearchCandidate<V>[] = [];
  const counts = [0, 0, 0, 0];
  const add = (value: V, tier: number, source: ArgumentSource['source'], detail: string) => {
    if ((counts[tier] ?? 0) >= perTier || !compatible(kind, adapter.kindOf(value))) return;
    const key = adapter.key(value);
    if (seen.has(key)) return;
    seen.add(key);
    counts[tier] = (counts[tier] ?? 0) + 1;
    out.push({ value, tier, source: { name: param.name, source, detail: detail.slice(0, 512), searched: true } });
  };
  for (const c of requestCandidates(bundle)) {
    for (const v of coerce(c.value, kind)) {
      const converted = typeof c.value === 'string' && typeof v !== 'string' ? ` as ${typeof v}` : '';
      add(adapter.fromJs(v), TIER.request, 'request', `${c.detail}${converted} (${describe(v)})`);
    }
  }
  const frames = bundle.exception.frames;
  for (let i = input.frameIndex + 1; i < frames.length; i++) {
    const locals = frames[i]?.locals;
    if (!locals) continue;
    for (const name of Object.keys(locals).sort()) {
      const rebuilt = adapter.fromLocal(locals[name] as NonNullable<typeof locals>[string], name);
      if (rebuilt.ok) add(rebuilt.value, TIER.caller, 'caller-locals', `frame ${i} local "${name}" (another name: searched)`);
    }
  }
  for (const v of boundaries(kind)) add(adapter.fromJs(v), TIER.boundary, 'type-boundary', `a boundary of its type (${kind === 'unknown' ? 'type unknown' : kind}): ${describe(v)}`);
  for (const v of input.fixtures) add(v, TIER.fixture, 'test-fixture', `a value the repository's tests pass (${adapter.key(v).slice(0, 40)})`);
  return out;
}

/**
 * Combinations of the searched parameters' candidates, the best evidence first: by the weakest
 * tier a combination uses, then by all its tiers together, then by how far down each list it
 * goes. At most `max`.
 */
export function combinations<V>(lists: readonly (readonly SearchCandidate<V>[])[], max: number): SearchCandidate<V>[][] {
  if (lists.some((l) => l.length === 0)) return [];
  const all: { combo: SearchCandidate<V>[]; worst: number; sum: number; depth: number }[] = [];
  const LIMIT = 4096;
  const walk = (i: number, acc: SearchCandidate<V>[], depth: number) => {
    if (all.length >= LIMIT) return;
    if (i === lists.length) {
      all.push({ combo: [...acc], worst: Math.max(...acc.map((c) => c.tier)), sum: acc.reduce((n, c) => n + c.tier, 0), depth });
      return;
    }
    (lists[i] as SearchCandidate<V>[]).forEach((c, j) => walk(i + 1, [...acc, c], depth + j));
  };
  walk(0, [], 0);
  return all
    .map((x, order) => ({ ...x, order }))
    .sort((a, b) => a.worst - b.worst || a.sum - b.sum || a.depth - b.depth || a.order - b.order)
    .slice(0, max)
    .map((x) => x.combo);
}

/** Header lines of a searched variant's test: which inputs production recorded, which were searched. */
export function provenanceLines(sources: readonly ArgumentSource[]): string[] {
  const recorded = sources.filter((s) => !s.searched && s.source !== 'default');
  return [
    `Recorded inputs: ${recorded.length ? recorded.map((s) => `${s.name} from ${s.detail ?? s.source}`).join('; ') : 'none'}.`,
    'Searched inputs (production recorded no value; this one made the test fail with the incident\'s signature in every gate run):',
    ...sources.filter((s) => s.searched).map((s) => `  ${s.name}: ${s.detail ?? s.source}`),
  ];
}

/**
 * A request value recorded under the parameter's name arrives as text (`?days=0` is "0"), but a
 * parameter declared as a number (annotation, JSDoc, type hint: never a guess from its name) gets
 * the handler's conversion. Returns the number when that applies, else undefined (the value is
 * used as recorded).
 */
export function numberForRecordedText(text: string, param: SearchParam): number | undefined {
  if (!param.type) return undefined;
  const kind = expectedKind({ name: '', type: param.type });
  if ((kind !== 'number' && kind !== 'integer') || !NUMERIC.test(text.trim())) return undefined;
  const n = Number(text);
  return kind === 'integer' && !Number.isInteger(n) ? undefined : n;
}
