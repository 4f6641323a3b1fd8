// The value search's contracts: a site (an expression the probe can replace), an override (which
// value the probe returns instead of the original one, per evaluation), and what a run recorded.
import type { Value } from './synthesize.ts';

/** An expression at a ranked line whose value is searched. */
export interface ProbeSite {
  /** Workspace-relative path. */
  file: string;
  /** The ranked line (1-based). */
  line: number;
  /** [start, end): UTF-16 offsets of the expression in the file. */
  start: number;
  end: number;
  /** A condition (searched as true/false) or a value (searched as a number or a boolean). */
  kind: 'condition' | 'value';
  /** The expression as written. */
  text: string;
  /** JS/TS: the names in scope before the site (Python records `locals()` instead). */
  names?: string[];
  /** Numeric literals of the enclosing function. */
  constants: number[];
}

/** What the probe returns on evaluation `i` (counted per process, from 0). */
export type Override =
  | { kind: 'none' }
  | { kind: 'all'; value: Value }
  | { kind: 'at'; index: number; value: Value }
  | { kind: 'from'; index: number; value: Value }
  | { kind: 'flip-at'; index: number }
  | { kind: 'negate' }
  | { kind: 'delta'; delta: number }
  /** Values by the evaluation's state (`Evaluation.k`; the others keep the original): built up
   * one failing assertion at a time (search.ts). */
  | { kind: 'by-state'; values: Record<string, Value> };

/** One evaluation as the probe wrote it. */
export interface Evaluation {
  i: number;
  /** In-scope values by their source text (`n`, `xs.length`, `len(xs)`, `order.total`). */
  v: Record<string, unknown>;
  /** The original expression's value (a boolean for a condition; null when not a number/boolean). */
  o: Value | null;
  /** What the probe returned. */
  r: Value | null;
  /** The state's key as the probe computes it (its in-scope values, serialized). */
  k?: string;
  /** The original expression threw. */
  e?: 1;
}
