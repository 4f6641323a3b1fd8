// Locals the SDK or the assembler cut short, completed from the recorded request body.
//   - Python: the assembler summarizes anything nested deeper than three levels
//     (`[depth>3: object with 3 keys]`), which is where payloads keep their line items;
//   - Node: Sentry's LocalVariables unrolls one level only, so a nested object's key is simply
//     absent and an array's object items are null (`[null, null]`: the inspector gives objects no
//     value, and undefined becomes null in JSON);
//   - both: the assembler keeps the first items of a long list (`…[+5 items]` in their place).
// The request body usually still holds them whole. When a local agrees with an object of the body
// (every key the local kept is in it and every scalar it kept is equal), the body supplies the
// missing parts. The gates decide whether the result really reproduces.
// A local that kept no scalar at all (Node's `[null, null]` for an array of two objects, Python's
// list of depth cuts) agrees with every body array of that length and kind: a body field named like
// the local decides between them, and when nothing does, the local is left as it is rather than
// filled from a guess.
import type { LocalValue } from '../../../schemas/bundle.ts';
import type { JsValue } from './locals.ts';
import { nameKey } from './name-key.ts';

const DEPTH_CUT = /^\[depth>\d+: (object with \d+ keys|array of \d+ items)\]$/;
/** The assembler's last item of a list it cut: `…[+5 items]`. */
const ITEMS_CUT = /^…\[\+(\d+) items\]$/;
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
  if (typeof local === 'string') return DEPTH_CUT.test(local) || ITEMS_CUT.test(local);
  if (!isContainer(local)) return false;
  return (Array.isArray(local) ? local : Object.values(local)).some(hasCut);
}

function convert(value: JsValue, toLocal: ToLocal): LocalValue {
  if (value === undefined) return toLocal(null);
  if (!isContainer(value)) return toLocal(value as string | number | boolean | null);
  if (Array.isArray(value)) return value.map((v) => convert(v, toLocal));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v, toLocal)]));
}

/** The items a list local kept, and how many production's list had (the assembler keeps the first
 * ones and says how many it left out). */
function keptItems(local: LocalValue[]): { kept: LocalValue[]; total: number } {
  const cut = typeof local.at(-1) === 'string' ? ITEMS_CUT.exec(local.at(-1) as string) : null;
  const kept = cut ? local.slice(0, -1) : local;
  return { kept, total: kept.length + Number(cut?.[1] ?? 0) };
}

/** A container of the body, with the field name it is under (none for the body and array items). */
type Candidate = { value: JsValue; field?: string };

function candidates(body: JsValue, field?: string, out: Candidate[] = []): Candidate[] {
  if (out.length >= MAX_CANDIDATES || !isContainer(body)) return out;
  out.push({ value: body, ...(field !== undefined ? { field } : {}) });
  if (Array.isArray(body)) for (const v of body) candidates(v, undefined, out);
  else for (const [k, v] of Object.entries(body)) candidates(v, k, out);
  return out;
}

/** Did the local keep a scalar that says which value it was (anything but cuts and nulls)? */
function informative(local: LocalValue, o: FillOptions): boolean {
  if (Array.isArray(local)) return keptItems(local).kept.some((l) => informative(l, o));
  if (isContainer(local)) return Object.entries(local).some(([k, l]) => k !== '…' && informative(l, o));
  if (typeof local === 'string' && DEPTH_CUT.test(local)) return false;
  return local !== null && JSON.stringify(local) !== JSON.stringify(o.toLocal(null));
}

/** Does `local` describe `value`? Kept scalars must be equal; cuts match anything of their kind. */
function agrees(local: LocalValue, value: JsValue, o: FillOptions): boolean {
  if (typeof local === 'string' && DEPTH_CUT.test(local)) return isContainer(value) && Array.isArray(value) === local.includes('array');
  if (local === null && o.absentMeansCut && isContainer(value)) return true;
  if (!isContainer(local)) return !isContainer(value) && JSON.stringify(o.toLocal((value ?? null) as string | number | boolean | null)) === JSON.stringify(local);
  if (!isContainer(value) || Array.isArray(local) !== Array.isArray(value)) return false;
  if (Array.isArray(local)) {
    const items = value as JsValue[];
    const { kept, total } = keptItems(local);
    return kept.length > 0 && total === items.length && kept.every((l, i) => agrees(l, items[i], o));
  }
  const obj = value as { [k: string]: JsValue };
  const keys = Object.keys(local).filter((k) => k !== '…');
  return keys.length > 0 && keys.every((k) => Object.hasOwn(obj, k) && agrees(local[k] as LocalValue, obj[k], o));
}

function fill(local: LocalValue, value: JsValue, o: FillOptions): LocalValue {
  if ((typeof local === 'string' && DEPTH_CUT.test(local)) || (local === null && o.absentMeansCut && isContainer(value))) return convert(value, o.toLocal);
  if (!isContainer(local) || !isContainer(value)) return local;
  if (Array.isArray(local)) {
    const items = value as JsValue[];
    const { kept } = keptItems(local);
    return [...kept.map((l, i) => fill(l, items[i], o)), ...items.slice(kept.length).map((v) => convert(v, o.toLocal))];
  }
  const obj = value as { [k: string]: JsValue };
  const out: Record<string, LocalValue> = Object.fromEntries(Object.entries(local).map(([k, l]) => [k, Object.hasOwn(obj, k) ? fill(l, obj[k], o) : l]));
  if (o.absentMeansCut) for (const [k, v] of Object.entries(obj)) if (!Object.hasOwn(out, k) && isContainer(v)) out[k] = convert(v, o.toLocal);
  return out;
}

/** `local` completed from the agreeing container of `body` (the one under a field named like the
 * local first); unchanged when nothing is missing, nothing agrees, or only the shape agrees and
 * more than one value has it. */
export function fillCuts(local: LocalValue, body: JsValue, o: FillOptions, name?: string): { value: LocalValue; filled: boolean } {
  if (body === undefined || !isContainer(local)) return { value: local, filled: false };
  if (!o.absentMeansCut && !hasCut(local)) return { value: local, filled: false };
  const agreeing = candidates(body).filter((c) => agrees(local, c.value, o));
  const named = name === undefined ? [] : agreeing.filter((c) => c.field !== undefined && nameKey(c.field) === nameKey(name));
  const pool = named.length > 0 ? named : agreeing;
  const match = pool[0];
  if (match === undefined) return { value: local, filled: false };
  if (!informative(local, o) && new Set(pool.map((c) => JSON.stringify(c.value))).size > 1) return { value: local, filled: false };
  const value = fill(local, match.value, o);
  return { value, filled: JSON.stringify(value) !== JSON.stringify(local) };
}
