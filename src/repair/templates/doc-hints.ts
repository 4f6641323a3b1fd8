// What a function's documentation says about its values: a documented range ("between 0 and 100")
// for the clamp template, and a documented default ("returns 0 when the cart is empty") for guards.
// Plain text in, so JSDoc, line comments and docstrings all work; the Python helper mirrors it.

export interface DocumentedRange {
  lo: number;
  hi: number;
  /** The @param the range is attached to; undefined for the function's result. */
  param?: string;
}

const NUM = String.raw`(-?\d+(?:\.\d+)?)`;
const RANGE_PATTERNS = [
  new RegExp(String.raw`between\s+${NUM}\s+and\s+${NUM}`, 'i'),
  new RegExp(String.raw`from\s+${NUM}\s+to\s+${NUM}`, 'i'),
  new RegExp(String.raw`\[\s*${NUM}\s*,\s*${NUM}\s*\]`),
  new RegExp(String.raw`(?:range|within|in)\s+${NUM}\s*(?:\.\.|-|–|to)\s*${NUM}`, 'i'),
  new RegExp(String.raw`${NUM}\s*<=?\s*\w+\s*<=?\s*${NUM}`),
];

function rangeIn(text: string): { lo: number; hi: number } | undefined {
  for (const re of RANGE_PATTERNS) {
    const m = re.exec(text);
    if (!m) continue;
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (Number.isFinite(a) && Number.isFinite(b) && a < b) return { lo: a, hi: b };
  }
  return undefined;
}

/** Every documented range: per `@param name …` line, and one for the rest (the function's result). */
export function documentedRanges(doc: string): DocumentedRange[] {
  const out: DocumentedRange[] = [];
  const rest: string[] = [];
  for (const raw of doc.split('\n')) {
    const line = raw.replace(/^\s*(\/\*\*?|\*\/|\*|\/\/|#)?\s?/, '');
    const param = /@param\s+(?:\{[^}]*\}\s*)?\[?([A-Za-z_$][\w$]*)/.exec(line) ?? /^:param\s+(?:\w+\s+)?(\w+):/.exec(line);
    if (param) {
      const r = rangeIn(line);
      if (r) out.push({ ...r, param: param[1]! });
      continue;
    }
    const named = /^\s*([A-Za-z_]\w*)\s*(?:\([^)]*\))?\s*:\s/.exec(line);
    if (named && /^\s{2,}|^\S/.test(raw) && /Args|Parameters|Arguments/i.test(doc)) {
      const r = rangeIn(line);
      if (r) {
        out.push({ ...r, param: named[1]! });
        continue;
      }
    }
    rest.push(line);
  }
  const r = rangeIn(rest.join(' '));
  if (r) out.push(r);
  return out;
}

const DEFAULT_WORDS: Array<[RegExp, string]> = [
  [/empty (?:string|str)\b/i, "''"],
  [/empty (?:array|list)\b/i, '[]'],
  [/empty (?:object|dict|map)\b/i, '{}'],
  [/\bzero\b/i, '0'],
];

const VALUE = String.raw`[\`'"]?(null|undefined|None|NaN|-?\d+(?:\.\d+)?|false|true|False|True|''|""|\[\]|\{\}|empty (?:string|str|array|list|object|dict|map)|zero)[\`'"]?(?=[\s.,;:)]|$)`;
/** Phrases that name a fallback outright. */
const FALLBACK = new RegExp(String.raw`(?:defaults? to|falls? back to|otherwise(?: returns?)?)\s+${VALUE}`, 'i');
/** "or null", "or an empty list": only nullish/empty values, since "1 or 2" is no default. */
const OR_EMPTY = /\bor\s+(?:an?\s+)?[`'"]?(null|undefined|None|''|""|\[\]|\{\}|empty (?:string|str|array|list|object|dict|map))[`'"]?(?=[\s.,;:)]|$)/i;
/** "returns 0 when the list is empty": a result tied to a degenerate input. */
const RETURNS_WHEN = new RegExp(
  String.raw`(?:returns?|\bor)\s+${VALUE}\s+(?:when|if|for|on)\b[^.\n]*?\b(?:empty|null|undefined|none|missing|no|invalid|zero|nothing|not (?:found|given|set|a number))\b`,
  'i',
);

/**
 * A literal the documentation names as the fallback result, in JavaScript spelling (`null`, `0`,
 * `''`, `[]`, …), or undefined: "defaults to X", "or null", "returns X when … empty/missing".
 */
export function documentedDefault(doc: string): string | undefined {
  const text = doc.replace(/\s+/g, ' ');
  const m = FALLBACK.exec(text) ?? OR_EMPTY.exec(text) ?? RETURNS_WHEN.exec(text);
  if (!m) return undefined;
  const word = m[1]!;
  for (const [re, value] of DEFAULT_WORDS) if (re.test(word)) return value;
  if (word === '""') return "''";
  if (word === 'None') return 'null';
  if (word === 'True' || word === 'False') return word.toLowerCase();
  return word;
}
