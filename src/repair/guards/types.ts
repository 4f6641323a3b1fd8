// The symptom-suppression guard's contracts. The language-specific extractors (TS AST for JS/TS,
// the Python helper for Python) reduce a before/after pair to these facts; suppression.ts judges.

export interface CrashSite {
  /** Workspace-relative path of the crash frame's file. */
  file: string;
  /** 1-based line of the crash frame, in the file before the patch. */
  line: number;
  /** The frame's function name when known (`Cart.total`, `total`, `<anonymous>`). */
  function?: string;
}

export type SuppressionVerdict = { suppressed: false } | { suppressed: true; reason: string };

/** A try/catch (or `.catch`, or `with suppress`) in the patched function around the crash site. */
export interface SwallowingTry {
  line: number;
  /** What the handler does, e.g. "an empty catch", "only logs", "only returns null". */
  handler: string;
}

export interface SuppressionFacts {
  /** The crash site's function (or the module, for top-level code) in each version. */
  found: { before: boolean; after: boolean };
  /** The function's name as the facts refer to it. */
  functionName: string;
  /** Callee texts (normalized) of the calls that start on the crash line, before the patch. */
  crashCalls: string[];
  /** Callee text → number of calls in the function, before and after. */
  calls: { before: Record<string, number>; after: Record<string, number> };
  /** New swallowing handlers around the crash site (absent before the patch). */
  swallowing: SwallowingTry[];
  /**
   * Index of the first unconditional top-level exit (return/throw/raise) among the function
   * body's top-level statements, and how many statements there are; -1 when none.
   */
  firstExit: { before: number; after: number };
  statements: { before: number; after: number };
  /** New guards (`if (c) return …`) whose condition holds for every input. */
  alwaysTrueGuards: Array<{ line: number; condition: string }>;
}
