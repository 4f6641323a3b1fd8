// Which values to try at a site (the angelic value search), bounded: from what one run of the
// failing test recorded there (how often the site ran, of which type) and the numbers of the
// failing assertion (its expected value, as the message or the alert's tags carry it).
import type { Value } from './synthesize.ts';
import type { Evaluation, Override } from './types.ts';

/** Evaluation indexes flipped or overridden one by one, at most. */
const WINDOW = 6;

/** Numbers of a failing assertion's message, the expected one first when it is named. */
export function assertionNumbers(message: string, tags: Readonly<Record<string, string>> = {}): number[] {
  const out: number[] = [];
  const add = (text: string | undefined) => {
    for (const m of (text ?? '').matchAll(/-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi)) {
      const n = Number(m[0]);
      if (Number.isFinite(n) && !out.includes(n)) out.push(n);
    }
  };
  add(tags['assertion.expected']);
  // Node's "6 !== 5" names the expected value second; so do pytest's "assert 6.0 == 5" and an
  // `assert.ok(f(148, 412) === 16)` quoted in the message: the number after the comparison.
  const after = /(?:===|==|!==|!=)\s*(-?\d+(?:\.\d+)?)/.exec(message);
  if (after) add(after[1]);
  add(message);
  return out.slice(0, 6);
}

const key = (o: Override) => JSON.stringify(o);

/** The overrides to try, cheapest and most likely first, without duplicates. */
export function trialsFor(kind: 'condition' | 'value', recorded: readonly Evaluation[], expected: readonly number[], max = 16): Override[] {
  const n = recorded.length;
  if (n === 0) return [];
  const out: Override[] = [];
  const push = (o: Override) => {
    if (out.length < max && !out.some((x) => key(x) === key(o))) out.push(o);
  };
  const originals = recorded.map((e) => e.o);
  const booleans = kind === 'condition' || originals.every((v) => typeof v === 'boolean');
  if (booleans) {
    push({ kind: 'negate' });
    push({ kind: 'all', value: true });
    push({ kind: 'all', value: false });
    for (let i = 0; i < Math.min(n, WINDOW); i++) push({ kind: 'flip-at', index: i });
    for (let i = 1; i < Math.min(n, WINDOW); i++) push({ kind: 'from', index: i, value: !(originals[i] as boolean) });
    if (n > WINDOW) push({ kind: 'flip-at', index: n - 1 });
    return out;
  }
  if (!originals.every((v) => typeof v === 'number')) return [];
  const last = n - 1;
  for (const e of expected) {
    if (n === 1) push({ kind: 'all', value: e });
    else push({ kind: 'at', index: last, value: e });
  }
  for (const d of [1, -1, 2, -2]) push({ kind: 'delta', delta: d });
  for (const e of expected) if (n > 1) push({ kind: 'all', value: e });
  for (const v of [0, 1, -1] as Value[]) push({ kind: 'all', value: v });
  return out;
}
