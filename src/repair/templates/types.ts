// The offline template engine's contracts: what localization hands it (a ranking), what a
// template proposes (edits at one location), and what the engine returns (ordered candidates).
import type { Language } from '../../../schemas/repo-config.ts';

export type { Language };

/**
 * One suspicious location, as the localizer ranks it (`[{ file, line, function?, score, reasons }]`).
 * Declared structurally here so the engine does not depend on the localizer's module; any ranking
 * entry of that shape fits.
 */
export interface RankedLocation {
  /** Workspace-relative POSIX path. */
  file: string;
  /** 1-based line. */
  line: number;
  function?: string;
  /** Higher is more suspicious; 0..1 in practice. */
  score: number;
  reasons?: readonly string[];
}

/** The template families (the list); `description` says which variant a candidate is. */
export const TEMPLATE_NAMES = [
  'null-guard',
  'optional-chain',
  'zero-divisor',
  'empty-collection',
  'reduce-initial',
  'parse-fallback',
  'clamp',
  'off-by-one',
  'operator-swap',
  'variable-replace',
  'missing-await',
  // The wider families (issue 18): tried after the ones above at the same location (engine.ts).
  'wrap',
  'swap-operands',
  'arithmetic-swap',
  'sibling-call',
  'flip-booleans',
  'literal-change',
  'drop-operand',
  'expression-replace',
  'insert-statement',
  // A guard built from the function's own conditions: the widest insertion, the last ring.
  'insert-guard',
  // Not a syntactic template: expressions synthesized from a value search in the sandbox
  // (src/repair/value-search/), for wrong-output failures the templates above did not fix.
  'value-search',
] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** A replacement of [start, end) (UTF-16 offsets into the original file) by `text`. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** What one template proposes at one location, before the engine scores and diffs it. */
export interface RawCandidate {
  template: TemplateName;
  file: string;
  /** The ranked line that produced it (1-based, in the original file). */
  line: number;
  description: string;
  edits: Edit[];
}

export interface PatchSize {
  /** Added plus removed lines of the unified diff. */
  lines: number;
  added: number;
  removed: number;
  /** Characters removed plus inserted by the edits (tie-break between one-line patches). */
  chars: number;
}

/** A patch the template engine generated, before validation (the run record's `Candidate`,
 * schemas/run.ts, is what validation made of one, whatever engine proposed it). */
export interface TemplateCandidate {
  /** Stable across runs: template plus a hash of the patched content. */
  id: string;
  template: TemplateName;
  file: string;
  /** The ranked line the candidate was made for. */
  line: number;
  description: string;
  /** Unified diff (`a/` and `b/` prefixes, three lines of context), appliable with `git apply`. */
  diff: string;
  /** The full new content of every file the candidate changes. */
  newContent: Map<string, string>;
  /** The score of the location the candidate was made at. */
  locationScore: number;
  size: PatchSize;
  /** locationScore discounted by size: a display and selection aid; the order is by (locationScore, size). */
  score: number;
}

/**
 * Runs a command and returns its result; shaped like `Sandbox.exec`, so `sandbox.exec.bind(sandbox)`
 * fits, and so does `hostExec` (tests, the benchmark).
 */
export type ExecFn = (
  argv: string[],
  options: { stdin?: string; timeoutMs?: number; env?: Record<string, string> },
) => Promise<{ exitCode: number; stdout: string; stderr: string; timedOut?: boolean }>;

export interface CandidateBudget {
  /** Stop after this many candidates (after ordering). Default 200. */
  maxCandidates?: number;
  /** Use the top this-many locations (ties at the cut are kept). Default 10. */
  maxLocations?: number;
}

export interface GenerateOptions {
  /** Workspace-relative path → current content; only ranked files need to be present. */
  files: ReadonlyMap<string, string>;
  ranking: readonly RankedLocation[];
  /** The repository's language; a file's extension decides its template set when it is clear. */
  language: Language;
  budget?: CandidateBudget;
  /** How to run the Python helper (inside the sandbox in production); needed only for .py files. */
  exec?: ExecFn;
}
