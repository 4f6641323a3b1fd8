// Locals the SDK or the assembler cut short, completed from the recorded request body.
//   - Python: the assembler summarizes anything nested deeper than three levels
//     (`[depth>3: object with 3 keys]`), which is where payloads keep their line items;
//   - Node: Sentry's LocalVariables unrolls one level only, so a nested object's key is simply
//     absent and a nested array item is null.
// The request body usually still holds them whole. When a local agrees with an object of the body
// (every key the local kept is in it and every scalar it kept is equal), the body supplies the
// missing parts. The gates decide whether the result really reproduces.
import type { LocalValue } from '../../../schemas/bundle.ts';
import type { JsValue } from './locals.ts';

const DEPTH_CUT = /^\[depth>\d+: (object with \d+ keys|array of \d+ items)\]$/;
const MAX_CANDIDATES = 500;

/** A JSON scalar as the language's SDK reports a local (Node: itself; Python: its repr). */
export type ToLocal = (scalar: string | number | boolean | null) => LocalValue;

export interface FillOptions {
  toLocal: ToLocal;
  /** Node semantics: absent keys and null array items may stand for nested values. */
  absentMeansCut: boolean;
}

const isContainer = (v: unknown): v is object => v !== null && typeof v === 'object';

function hasCut(local: LocalValue): boolean {
  if (typeof local === 'string') return DEPTH_CUT.test(local);
  if (!isContainer(local)) return false;
  return (Array.isArray(local) ? local : Object.values(local)).some(hasCut);
}

function convert(value: JsValue, toLocal: ToLocal): LocalValue {
  if (value === undefined) return toLocal(null);
  if (!isContainer(value)) return toLocal(value as string | number | boolean | null);
  if (Array.isArray(value)) return value.map((v) => convert(v, toLocal));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v, toLocal)]));
}

function candidates(body: JsValue, out: JsValue[] = []): JsValue[] {
  if (out.length >= MAX_CANDIDATES || !isContainer(body)) return out;
  out.push(body);
  for (const v of Array.isArray(body) ? body : Object.values(body)) candidates(v, out);
  return out;
}

/** Does `local` describe `value`? Kept scalars must be equal; cuts match anything of their kind. */
function agrees(local: LocalValue, value: JsValue, o: FillOptions): boolean {
  if (typeof local === 'string' && DEPTH_CUT.test(local)) return isContainer(value) && Array.isArray(value) === local.includes('array');
  if (local === null && o.absentMeansCut && isContainer(value)) return true;
  if (!isContainer(local)) return !isContainer(value) && JSON.stringify(o.toLocal((value ?? null) as string | number | boolean | null)) === JSON.stringify(local);
  if (!isContainer(value) || Array.isArray(local) !== Array.isArray(value)) return false;
  if (Array.isArray(local)) {
    const items = value as JsValue[];
    return local.length > 0 && local.length === items.length && local.every((l, i) => agrees(l, items[i], o));
  }
  const obj = value as { [k: string]: JsValue };
  const keys = Object.keys(local).filter((k) => k !== '…');
  return keys.length > 0 && keys.every((k) => Object.hasOwn(obj, k) && agrees(local[k] as LocalValue, obj[k], o));
}

function fill(local: LocalValue, value: JsValue, o: FillOptions): LocalValue {
  if ((typeof local === 'string' && DEPTH_CUT.test(local)) || (local === null && o.absentMeansCut && isContainer(value))) return convert(value, o.toLocal);
  if (!isContainer(local) || !isContainer(value)) return local;
  if (Array.isArray(local)) return local.map((l, i) => fill(l, (value as JsValue[])[i], o));
  const obj = value as { [k: string]: JsValue };
  const out: Record<string, LocalValue> = Object.fromEntries(Object.entries(local).map(([k, l]) => [k, Object.hasOwn(obj, k) ? fill(l, obj[k], o) : l]));
  if (o.absentMeansCut) for (const [k, v] of Object.entries(obj)) if (!Object.hasOwn(out, k) && isContainer(v)) out[k] = convert(v, o.toLocal);
  return out;
}

/** `local` completed from the first agreeing object of `body`; unchanged when nothing is
 * missing or nothing agrees. */
export function fillCuts(local: LocalValue, body: JsValue, o: FillOptions): { value: LocalValue; filled: boolean } {
  if (body === undefined || !isContainer(local)) return { value: local, filled: false };
  if (!o.absentMeansCut && !hasCut(local)) return { value: local, filled: false };
  const match = candidates(body).find((c) => agrees(local, c, o));
  if (match === undefined) return { value: local, filled: false };
  const value = fill(local, match, o);
  return { value, filled: JSON.stringify(value) !== JSON.stringify(local) };
}
