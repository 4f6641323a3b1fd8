// A candidate patch against the function's contract (contract.ts). A crash reproduction asserts
// only "does not throw", so any early-return value passes it: what decides whether the value is
// right is what the code says. For each value the patch introduces (a new `return X`, a fallback
// `?? X` / `|| X` / `or X`):
//   implied     the doc names it for the case ("returns 0.0 when …"), or it returns the input the
//               doc promises to leave unchanged;
//   consistent  the function's other return statements already return it;
//   silent      nothing in the doc, the types or the other returns names it: a guess;
//   disagrees   the doc or the declared type names something else;
//   contradicts mechanically wrong against the contract: the doc's 0.0 returned as the int 0,
//               a literal where the doc promises the input unchanged, a fallback that throws
//               away input whose format the doc names instead of parsing that format, or
//               null/None/undefined from a function whose declared return type does not admit it
//               (the patched code no longer typechecks; every caller was promised a value).
// A patch that introduces no value (an operator, an await, a bound) is `no-value`.
import type { Contract } from './contract.ts';

export type Agreement = 'implied' | 'consistent' | 'no-value' | 'silent' | 'disagrees' | 'contradicts';

export interface Judgement {
  agreement: Agreement;
  reasons: string[];
  /** The values the patch introduces, as written. */
  values: string[];
}

/** Best first: the order selection ranks candidates by. */
export const AGREEMENT_ORDER: readonly Agreement[] = ['implied', 'consistent', 'no-value', 'silent', 'disagrees', 'contradicts'];

const LITERAL = /^(None|null|undefined|NaN|True|False|true|false|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|'[^']*'|"[^"]*"|`[^`$]*`|\[\]|\{\}|\(\)|new Date\(\)|Date\.now\(\)|datetime\.(?:datetime\.)?(?:now|utcnow)\(\))$/;
const PARSE_CONTEXT = /\b(catch|except|isNaN|Number\.isNaN|getTime\(\)|Invalid|ValueError|try)\b/;
const PARSERS = /\b(Date\.parse|new Date\(\s*\w|Date\.UTC|JSON\.parse|parseInt|parseFloat|fromisoformat|strptime|parsedate(?:_to_datetime|_tz)?|json\.loads|isoparse|fromtimestamp|email\.utils)\b/;

/** A value as a comparable key: numbers by value and, in Python, int vs float; strings by content. */
function norm(value: string, language: 'js' | 'python'): { key: string; numType?: 'int' | 'float' } {
  let v = value.trim().replace(/;$/, '').trim();
  while (v.startsWith('(') && v.endsWith(')') && v.length > 2) v = v.slice(1, -1).trim();
  if (/^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$/.test(v)) return { key: `num:${Number(v)}`, numType: /[.eE]/.test(v) ? 'float' : 'int' };
  const str = /^(['"`])(.*)\1$/s.exec(v);
  if (str) return { key: `str:${str[2]}` };
  if (language === 'python' && v === 'None') return { key: 'null' };
  if (language === 'js' && v === 'null') return { key: 'null' };
  return { key: v.replace(/\s+/g, ' ') };
}

/** Values the added lines introduce: returned expressions and fallback operands. */
export function introducedValues(diff: string, language: 'js' | 'python'): { values: string[]; added: string } {
  const added = diff
    .split('\n')
    .filter((l) => l.startsWith('+') && !l.startsWith('+++'))
    .map((l) => l.slice(1));
  const removed = new Set(
    diff
      .split('\n')
      .filter((l) => l.startsWith('-') && !l.startsWith('---'))
      .map((l) => l.slice(1).trim()),
  );
  const values: string[] = [];
  // A rewritten return (an operator, an index) chooses no value: only a new return, or a literal, does.
  const rewrites = [...removed].some((l) => /\breturn\b/.test(l));
  for (const line of added) {
    if (removed.has(line.trim())) continue;
    const code = language === 'python' ? line.replace(/\s#.*$/, '') : line.replace(/\s\/\/.*$/, '');
    const ret = /(?:^|[:;{)]\s*|\belse\s+)return\b\s*(.*?)\s*;?\s*\}?\s*$/.exec(code.trim());
    const value = ret ? (ret[1] === '' ? (language === 'python' ? 'None' : 'undefined') : (ret[1] as string)) : undefined;
    if (value !== undefined && (!rewrites || LITERAL.test(value.trim()))) values.push(value);
    for (const m of code.matchAll(language === 'python' ? /\bor\s+([^\s,)]+)\s*(?=$|[,)])/g : /(?:\?\?|\|\|)\s*([^;,)]+?)\s*(?=[;,)]|$)/g)) values.push((m[1] as string).trim());
  }
  return { values: [...new Set(values.map((v) => v.trim()).filter(Boolean))], added: added.join('\n') };
}

function declaredConflict(declared: string | undefined, value: string, language: 'js' | 'python'): string | undefined {
  if (!declared) return undefined;
  const d = declared.replace(/\s+/g, '');
  const v = norm(value, language);
  const nullable = /None|null|undefined|Optional\[|\?$|any|Any|unknown/.test(d);
  if (v.key === 'null' || value === 'undefined') return nullable ? undefined : `the declared return type is ${declared}, which does not admit ${value}`;
  if (language === 'python' && /^float$/.test(d) && v.numType === 'int') return `the declared return type is float; the patch returns the int ${value}`;
  if (/^(number|float|int)$/.test(d) && v.key.startsWith('str:')) return `the declared return type is ${declared}; the patch returns a string`;
  if (/^(string|str)$/.test(d) && v.key.startsWith('num:')) return `the declared return type is ${declared}; the patch returns a number`;
  return undefined;
}

function judgeValue(value: string, contract: Contract, added: string): { agreement: Agreement; reason: string } {
  const lang = contract.language;
  const v = norm(value, lang);
  const literal = LITERAL.test(value.trim());
  if (contract.unchanged) {
    if (contract.params.includes(value.trim())) return { agreement: 'implied', reason: `the doc says "${contract.unchanged}" and the patch returns the input ${value}` };
    if (literal) return { agreement: 'contradicts', reason: `the doc says "${contract.unchanged}", but the patch returns the literal ${value} instead of the input` };
  }
  if (contract.formats.length > 0 && literal && PARSE_CONTEXT.test(added) && !PARSERS.test(added)) {
    return { agreement: 'contradicts', reason: `the doc names the input format ${contract.formats.join(', ')}; the patch falls back to ${value} and discards the input instead of parsing that format` };
  }
  const documented = contract.documented.map((d) => ({ d, n: norm(d.value, lang) }));
  const same = documented.find((x) => x.n.key === v.key);
  if (same) {
    if (lang === 'python' && same.n.numType && v.numType && same.n.numType !== v.numType) {
      return { agreement: 'contradicts', reason: `the doc says "${same.d.phrase}": ${same.d.value} is ${same.n.numType === 'float' ? 'a float' : 'an int'}, the patch returns ${value}, ${v.numType === 'float' ? 'a float' : 'an int'}` };
    }
    return { agreement: 'implied', reason: `the doc says "${same.d.phrase}"` };
  }
  const conflict = declaredConflict(contract.declaredReturn, value, lang);
  if (documented.length > 0) return { agreement: 'disagrees', reason: `the doc names ${documented.map((x) => x.d.value).join(', ')} ("${documented[0]?.d.phrase}"); the patch returns ${value}` };
  // A nullish value the declared type rules out is a type error, not a judgement call.
  if (conflict) return { agreement: v.key === 'null' || value.trim() === 'undefined' ? 'contradicts' : 'disagrees', reason: conflict };
  if (contract.returns.some((r) => norm(r, lang).key === v.key)) return { agreement: 'consistent', reason: `the function's other return statements already return ${value}` };
  return { agreement: 'silent', reason: `nothing in the function's doc, types or other returns names ${value}: the value is a guess` };
}

export function judge(diff: string, contract: Contract): Judgement {
  const { values, added } = introducedValues(diff, contract.language);
  if (values.length === 0) return { agreement: 'no-value', reasons: ['the patch introduces no value of its own (it changes an operator, a bound, an await or the control flow)'], values };
  const verdicts = values.map((v) => judgeValue(v, contract, added));
  const worst = verdicts.reduce((w, x) => (AGREEMENT_ORDER.indexOf(x.agreement) > AGREEMENT_ORDER.indexOf(w) ? x.agreement : w), 'implied' as Agreement);
  return { agreement: worst, reasons: verdicts.map((x) => x.reason), values };
}
