// Bundle locals → values a test can construct, per language. Locals arrive as Sentry sends them
// (src/assemble/locals.ts keeps the shape): the Python SDK sends dicts and lists as JSON
// structures whose leaves are `repr` strings ("'EUR'", "2", "None"); the Node SDK sends JSON
// values with `<undefined>`, `<null>` and `<ClassName>` for what JSON cannot hold. The assembler
// adds its own markers (`…[+N chars]`, `…[+N items]`, a `…` key, `[depth>3: …]`, `[undefined]`)
// and the redactor its pseudonyms (`<jwt:3f2a9c1b>`), which were strings in production.
import type { LocalValue } from '../../../schemas/bundle.ts';
import { parsePythonRepr } from './python-repr.ts';
import type { PyValue } from './python-value.ts';

export type Rebuilt<T> = { ok: true; value: T; truncated: boolean } | { ok: false; reason: string };

/** A JS value a test can write as a literal (undefined included). */
export type JsValue = undefined | null | boolean | number | string | JsValue[] | { [key: string]: JsValue };

const CHARS_CUT = /…\[\+\d+ chars\]$/;
const ITEMS_CUT = /^…\[\+\d+ items\]$/;
const DEPTH_CUT = /^\[depth>\d+: (object with \d+ keys|array of \d+ items)\]$/;
const PSEUDONYM = /^<[\w.-]+:[0-9a-f]{8}>$/;
/** The Node SDK's description of a value it could not serialize: `<Cart>`, `<Map(2)>`, `<Date …>`. */
const JS_OPAQUE = /^<[^<>]*>$/;

type State = { truncated: boolean };

function fail<T>(reason: string): Rebuilt<T> {
  return { ok: false, reason };
}

/** Items and keys without the assembler's "…" markers, noting the cut. */
function entries(local: LocalValue[] | { [k: string]: LocalValue }, state: State): [string | number, LocalValue][] {
  if (Array.isArray(local)) {
    return local.flatMap((item, i): [number, LocalValue][] => {
      if (typeof item === 'string' && ITEMS_CUT.test(item)) {
        state.truncated = true;
        return [];
      }
      return [[i, item]];
    });
  }
  return Object.entries(local).flatMap(([k, v]): [string, LocalValue][] => {
    if (k === '…') {
      state.truncated = true;
      return [];
    }
    return [[k, v]];
  });
}

function pyValue(local: LocalValue, state: State, path: string): PyValue | string {
  if (local === null) return { t: 'none' };
  if (typeof local === 'boolean') return { t: 'bool', v: local };
  if (typeof local === 'number') return Number.isInteger(local) ? { t: 'int', v: BigInt(local) } : { t: 'float', v: local };
  if (typeof local === 'string') {
    if (DEPTH_CUT.test(local)) return `${path} was cut at the depth limit`;
    if (PSEUDONYM.test(local)) return { t: 'str', v: local };
    if (CHARS_CUT.test(local)) return `${path} was truncated (${local.slice(-20)})`;
    const parsed = parsePythonRepr(local);
    return parsed.ok ? parsed.value : `${path}: ${parsed.reason}`;
  }
  const items: PyValue[] = [];
  const dict: [PyValue, PyValue][] = [];
  for (const [k, v] of entries(local, state)) {
    const child = pyValue(v, state, `${path}[${JSON.stringify(k)}]`);
    if (typeof child === 'string') return child;
    if (Array.isArray(local)) items.push(child);
    else dict.push([{ t: 'str', v: String(k) }, child]);
  }
  return Array.isArray(local) ? { t: 'list', items } : { t: 'dict', entries: dict };
}

/** A Python frame local (repr text, or a JSON structure of reprs) → a value. */
export function pythonFromLocal(local: LocalValue, name = 'value'): Rebuilt<PyValue> {
  const state = { truncated: false };
  const value = pyValue(local, state, name);
  return typeof value === 'string' ? fail(value) : { ok: true, value, truncated: state.truncated };
}

function jsValue(local: LocalValue, state: State, path: string): { v: JsValue } | string {
  if (local === null || typeof local === 'boolean' || typeof local === 'number') return { v: local };
  if (typeof local === 'string') {
    if (local === '<undefined>' || local === '[undefined]') return { v: undefined };
    if (local === '<null>') return { v: null };
    if (DEPTH_CUT.test(local)) return `${path} was cut at the depth limit`;
    if (PSEUDONYM.test(local)) return { v: local };
    if (JS_OPAQUE.test(local)) return `${path} is an object the SDK could only describe (${local.slice(0, 60)})`;
    if (CHARS_CUT.test(local)) {
      state.truncated = true;
      return { v: local.replace(CHARS_CUT, '') };
    }
    return { v: local };
  }
  const out: JsValue[] | { [k: string]: JsValue } = Array.isArray(local) ? [] : {};
  for (const [k, v] of entries(local, state)) {
    const child = jsValue(v, state, `${path}[${JSON.stringify(k)}]`);
    if (typeof child === 'string') return child;
    if (Array.isArray(out)) out.push(child.v);
    else out[k] = child.v;
  }
  return { v: out };
}

/** A Node frame local → a value. A truncated string is replayed as its kept prefix (marked). */
export function jsFromLocal(local: LocalValue, name = 'value'): Rebuilt<JsValue> {
  const state = { truncated: false };
  const value = jsValue(local, state, name);
  return typeof value === 'string' ? fail(value) : { ok: true, value: value.v, truncated: state.truncated };
}

/** JSON text (span attributes, request bodies carry structures as JSON) → a JS value, else the text. */
export function jsonOrText(text: string): JsValue {
  const t = text.trim();
  if (/^[[{"]/.test(t) || /^(-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null)$/.test(t)) {
    try {
      return JSON.parse(t) as JsValue;
    } catch {
      return text;
    }
  }
  return text;
}

/** A JS value → a Python value (request bodies and span attributes for Python functions). */
export function pythonFromJs(value: JsValue): PyValue {
  if (value === undefined || value === null) return { t: 'none' };
  if (typeof value === 'boolean') return { t: 'bool', v: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { t: 'int', v: BigInt(value) } : { t: 'float', v: value };
  if (typeof value === 'string') return { t: 'str', v: value };
  if (Array.isArray(value)) return { t: 'list', items: value.map(pythonFromJs) };
  return { t: 'dict', entries: Object.entries(value).map(([k, v]) => [{ t: 'str', v: k }, pythonFromJs(v)]) };
}
