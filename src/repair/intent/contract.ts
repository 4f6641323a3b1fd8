// What the repository itself says a function should do, read from its own text: the values its
// doc comment or docstring names for a case ("returns 0.0 when there are no orders", "None when
// missing", "falls back to 'unknown'", "defaults to []"), whether it promises to leave the input
// unchanged, the formats it names (ISO 8601, HTTP-date…), doctest-style examples, its declared
// return type and what its other return statements return. A repair that chooses a value is
// judged against this (judge.ts), never against the tests alone.
import type { FunctionSource } from './function-source.ts';

export interface DocumentedValue {
  /** As written, without quotes of the prose: `0.0`, `None`, `'unknown'`, `[]`. */
  value: string;
  /** The doc's own words, for the reason a reviewer reads. */
  phrase: string;
}

export interface DocExample {
  /** `f(2, 3)`: the call as written. */
  call: string;
  /** `5`: the expected result as written. */
  expected: string;
}

export interface Contract {
  function: string;
  language: 'js' | 'python';
  params: string[];
  documented: DocumentedValue[];
  /** "unchanged", "as is", "returns the input": the input must come back when nothing applies. */
  unchanged: string | undefined;
  /** Named input formats the function must honour. */
  formats: string[];
  examples: DocExample[];
  declaredReturn?: string;
  /** The expressions the function's return statements return (before the patch). */
  returns: string[];
}

const WORD_VALUES: [RegExp, string][] = [
  [/^empty (?:string|str)$/i, "''"],
  [/^empty (?:array|list)$/i, '[]'],
  [/^empty (?:object|dict|map|mapping)$/i, '{}'],
  [/^zero$/i, '0'],
];
const VALUE = String.raw`(\`[^\`\n]{1,60}\`|None|null|undefined|NaN|True|False|true|false|-?\d+(?:\.\d+)?|'[^'\n]{0,40}'|"[^"\n]{0,40}"|\[\]|\{\}|empty (?:string|str|array|list|object|dict|map|mapping)|zero)`;
const STATEMENTS = [
  new RegExp(String.raw`\breturns?\s+${VALUE}\s+(?:when|if|for|on|unless|otherwise)\b[^.\n]*`, 'gi'),
  new RegExp(String.raw`(?:^|[.:;]\s+|\n\s*)${VALUE}\s+(?:when|if)\b[^.\n]*`, 'g'),
  new RegExp(String.raw`\b(?:falls?\s+back\s+to|defaults?\s+to|otherwise\s+returns?)\s+${VALUE}`, 'gi'),
  new RegExp(String.raw`\bor\s+${VALUE}\s+(?:when|if)\b[^.\n]*`, 'gi'),
];
const UNCHANGED = /\b(unchanged|as[- ]is|untouched|returns? (?:the|its) (?:input|argument|value) (?:as|unchanged))\b[^.\n]*/i;
const FORMATS: [RegExp, string][] = [
  [/\bISO[- ]?8601\b/i, 'ISO 8601'],
  [/\bRFC[- ]?3339\b/i, 'RFC 3339'],
  [/\bHTTP[- ]date\b|\bRFC[- ]?(?:7231|9110|1123)\b/i, 'HTTP-date'],
  [/\bRFC[- ]?2822\b|\bRFC[- ]?5322\b/i, 'RFC 2822'],
  [/\bYYYY-MM-DD\b/, 'YYYY-MM-DD'],
  [/\bDD\/MM\/YYYY\b/i, 'DD/MM/YYYY'],
  [/\bunix (?:time|timestamp|epoch)\b|\bepoch (?:seconds|millis)/i, 'Unix time'],
];

function clean(value: string): string {
  let v = value.trim();
  if (v.startsWith('`') && v.endsWith('`')) v = v.slice(1, -1).trim();
  for (const [re, out] of WORD_VALUES) if (re.test(v)) return out;
  return v;
}

/** The doc text without comment markers: `/** … *\/`, `//`, `#`, JSDoc stars. */
export function docText(doc: string): string {
  return doc
    .split('\n')
    .map((l) => l.replace(/^\s*(\/\*\*?|\*\/|\*(?!\*)|\/\/+|#+)\s?/, '').replace(/\*\/\s*$/, ''))
    .join('\n');
}

function examples(text: string, language: 'js' | 'python'): DocExample[] {
  const out: DocExample[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = (lines[i] as string).trim();
    if (language === 'python') {
      const m = /^>>>\s+(.+)$/.exec(l);
      const next = (lines[i + 1] ?? '').trim();
      if (m && next && !next.startsWith('>>>') && !next.startsWith('...')) out.push({ call: (m[1] as string).trim(), expected: next });
    } else {
      const m = /^(?:@example\s+)?([A-Za-z_$][\w$.]*\(.*\))\s*(?:\/\/\s*)?(?:=>|→|===|==|returns)\s*(.+?);?$/.exec(l);
      if (m) out.push({ call: (m[1] as string).trim(), expected: (m[2] as string).trim() });
    }
  }
  return out.slice(0, 20);
}

export function contractOf(fn: FunctionSource): Contract {
  const text = docText(fn.doc);
  const documented: DocumentedValue[] = [];
  const seen = new Set<string>();
  for (const re of STATEMENTS) {
    for (const m of text.matchAll(re)) {
      const value = clean(m[1] as string);
      const phrase = m[0].replace(/\s+/g, ' ').trim().replace(/^[.:;]\s*/, '');
      if (seen.has(value)) continue;
      seen.add(value);
      documented.push({ value, phrase: phrase.slice(0, 200) });
    }
  }
  const unchanged = UNCHANGED.exec(text)?.[0].trim().slice(0, 200);
  return {
    function: fn.name,
    language: fn.language,
    params: fn.params,
    documented,
    unchanged,
    formats: FORMATS.filter(([re]) => re.test(text)).map(([, name]) => name),
    examples: examples(text, fn.language),
    ...(fn.declaredReturn ? { declaredReturn: fn.declaredReturn } : {}),
    returns: fn.returns.map((r) => r.expr),
  };
}
