// The offline template engine: every template at the top-ranked locations, each proposal applied,
// syntax-checked, diffed, deduplicated and ordered by location score, then patch size (smallest
// first; the wider families after the established ones, see TIER). Deterministic: the same files and ranking give the same candidates in the same order.
import { createHash } from 'node:crypto';
import { applyEdits } from './edits.ts';
import { hasSyntaxErrors } from './js/ast.ts';
import { JS_FILE, jsCandidatesAt, openJsFile } from './js/index.ts';
import { pythonCandidates } from './python.ts';
import type { TemplateCandidate, Edit, GenerateOptions, Language, PatchSize, RankedLocation, RawCandidate, TemplateName } from './types.ts';
import { diffStats, unifiedDiff } from './unified-diff.ts';

export const DEFAULT_MAX_CANDIDATES = 200;
export const DEFAULT_MAX_LOCATIONS = 10;

/** When location and size tie: guards for crashes first, then the mutation families. */
const PREFERENCE: readonly TemplateName[] = [
  'null-guard', 'optional-chain', 'zero-divisor', 'empty-collection', 'reduce-initial', 'parse-fallback',
  'missing-await', 'clamp', 'operator-swap', 'off-by-one', 'variable-replace',
  'flip-booleans', 'sibling-call', 'swap-operands', 'wrap', 'arithmetic-swap', 'literal-change', 'drop-operand',
  'insert-statement', 'expression-replace', 'insert-guard', 'value-search',
];

/**
 * The search space in rings, tried in this order at one location whatever the patch size: the
 * guards, single-token mutations and `wrap` (it only adds `abs`/a cast around an operation: a
 * same-size variable swap is the less specific edit) first; then the wider families (issue 18), whose many small
 * edits would otherwise win size ties against the established ones; since the visible tests often
 * cannot tell a wrong edit from the right one, a wide family reached first would turn a fix the
 * narrow families find into a plausible-but-wrong one. Last, a name replaced by an expression and a
 * guard made of one of the function's own conditions, the widest and least specific.
 */
const TIER: Partial<Record<TemplateName, number>> = {
  'flip-booleans': 1, 'sibling-call': 1, 'swap-operands': 1, 'arithmetic-swap': 1, 'literal-change': 1,
  'drop-operand': 1, 'insert-statement': 1, 'expression-replace': 2, 'insert-guard': 2, 'value-search': 3,
};
export const tierOf = (t: TemplateName): number => TIER[t] ?? 0;

/** Code-unit order: unlike localeCompare, the same on every machine and locale. */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Highest score per (file, line), best first; the top `max` plus any tied with the last one kept. */
export function selectLocations(ranking: readonly RankedLocation[], max: number): RankedLocation[] {
  const best = new Map<string, RankedLocation>();
  for (const loc of ranking) {
    const key = `${loc.file}:${loc.line}`;
    const known = best.get(key);
    if (!known || loc.score > known.score) best.set(key, loc);
  }
  const sorted = [...best.values()].sort((a, b) => b.score - a.score || cmp(a.file, b.file) || a.line - b.line);
  const cut = sorted[Math.min(max, sorted.length) - 1];
  return cut ? sorted.filter((l, i) => i < max || l.score === cut.score) : [];
}

export function languageOf(file: string, repoLanguage: Language): 'python' | 'js' {
  if (/\.py$/i.test(file)) return 'python';
  if (JS_FILE.test(file)) return 'js';
  return repoLanguage === 'python' ? 'python' : 'js';
}

/**
 * Characters removed plus inserted, each edit trimmed of what it keeps (a template that rewrites
 * `x / n` as `n === 0 ? 0 : x / n` changed 12 characters, not 18), so the measure does not depend
 * on how a template phrased its edits.
 */
function changedChars(before: string, edits: readonly Edit[]): number {
  let total = 0;
  for (const e of edits) {
    const removed = before.slice(e.start, e.end);
    const inserted = e.text;
    let pre = 0;
    const max = Math.min(removed.length, inserted.length);
    while (pre < max && removed[pre] === inserted[pre]) pre++;
    let suf = 0;
    while (suf < max - pre && removed[removed.length - 1 - suf] === inserted[inserted.length - 1 - suf]) suf++;
    total += removed.length + inserted.length - 2 * (pre + suf);
  }
  return total;
}

function rawFor(file: string, text: string, lines: number[], language: 'python' | 'js', options: GenerateOptions): Promise<RawCandidate[]> {
  if (language === 'python') {
    if (!options.exec) throw new Error('generateCandidates needs an exec function to run the Python helper');
    return pythonCandidates(file, text, lines, options.exec);
  }
  const parsed = openJsFile(file, text);
  return Promise.resolve(lines.flatMap((line) => jsCandidatesAt(parsed, line)));
}

const contentKey = new WeakMap<TemplateCandidate, string>();
const MAX_DESCRIPTION = 300;

function build(raw: RawCandidate, before: string, locationScore: number, language: 'python' | 'js'): TemplateCandidate | undefined {
  let after: string;
  try {
    after = applyEdits(before, raw.edits);
  } catch {
    return undefined;
  }
  if (after === before) return undefined;
  // The Python helper compiles its own results; JS/TS ones are reparsed here.
  if (language === 'js' && hasSyntaxErrors(raw.file, after)) return undefined;
  const stats = diffStats(before, after);
  const size: PatchSize = { lines: stats.added + stats.removed, ...stats, chars: changedChars(before, raw.edits) };
  const hash = createHash('sha256').update(raw.file).update('\0').update(after).digest('hex');
  const score = Math.round((locationScore / (1 + 0.05 * (size.lines - 1) + 0.002 * size.chars)) * 1e4) / 1e4;
  const c: TemplateCandidate = {
    id: `${raw.template}-${hash.slice(0, 10)}`,
    template: raw.template,
    file: raw.file,
    line: raw.line,
    // Descriptions quote source text; long expressions are cut so records stay small.
    description: raw.description.length > MAX_DESCRIPTION ? `${raw.description.slice(0, MAX_DESCRIPTION - 1)}…` : raw.description,
    diff: unifiedDiff(raw.file, before, after),
    newContent: new Map([[raw.file, after]]),
    locationScore,
    size,
    score,
  };
  contentKey.set(c, hash);
  return c;
}

export function compareCandidates(a: TemplateCandidate, b: TemplateCandidate): number {
  return (
    b.locationScore - a.locationScore ||
    tierOf(a.template) - tierOf(b.template) ||
    a.size.lines - b.size.lines ||
    a.size.chars - b.size.chars ||
    PREFERENCE.indexOf(a.template) - PREFERENCE.indexOf(b.template) ||
    cmp(a.file, b.file) ||
    a.line - b.line ||
    cmp(a.description, b.description) ||
    cmp(a.id, b.id)
  );
}

/**
 * Candidates from edits made elsewhere (the value search): built, checked, diffed, ordered and
 * deduplicated exactly as the templates' own.
 */
export function candidatesFrom(raws: readonly RawCandidate[], files: ReadonlyMap<string, string>, ranking: readonly RankedLocation[], repoLanguage: Language): TemplateCandidate[] {
  const scoreOf = new Map<string, number>();
  for (const l of ranking) scoreOf.set(`${l.file}:${l.line}`, Math.max(l.score, scoreOf.get(`${l.file}:${l.line}`) ?? 0));
  const built = raws.flatMap((raw) => {
    const text = files.get(raw.file);
    const c = text === undefined ? undefined : build(raw, text, scoreOf.get(`${raw.file}:${raw.line}`) ?? 0, languageOf(raw.file, repoLanguage));
    return c ? [c] : [];
  });
  built.sort(compareCandidates);
  const seen = new Set<string>();
  return built.filter((c) => {
    const key = contentKey.get(c)!;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export async function generateCandidates(options: GenerateOptions): Promise<TemplateCandidate[]> {
  const maxCandidates = options.budget?.maxCandidates ?? DEFAULT_MAX_CANDIDATES;
  const locations = selectLocations(options.ranking, options.budget?.maxLocations ?? DEFAULT_MAX_LOCATIONS);
  const byFile = new Map<string, RankedLocation[]>();
  for (const loc of locations) {
    if (!options.files.has(loc.file)) continue;
    byFile.set(loc.file, [...(byFile.get(loc.file) ?? []), loc]);
  }
  const all: TemplateCandidate[] = [];
  for (const [file, locs] of [...byFile].sort(([a], [b]) => cmp(a, b))) {
    const text = options.files.get(file)!;
    const language = languageOf(file, options.language);
    const scoreOf = new Map(locs.map((l) => [l.line, l.score]));
    const raws = await rawFor(file, text, locs.map((l) => l.line), language, options);
    for (const raw of raws) {
      const c = build(raw, text, scoreOf.get(raw.line) ?? 0, language);
      if (c) all.push(c);
    }
  }
  all.sort(compareCandidates);
  // Two templates (or two locations) reaching the same content: the first in order stays.
  const seen = new Set<string>();
  const unique = all.filter((c) => {
    const key = contentKey.get(c)!;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.slice(0, maxCandidates);
}
