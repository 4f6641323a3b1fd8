// The symptom-suppression guard: a patch that makes the failing test pass by hiding the failure
// is rejected, whatever produced it (template or model). Three forms, judged from the crash
// site's function before and after the patch:
//   - the crash site wrapped in a try/catch (try/except, `.catch`, `with suppress`) that swallows:
//     an empty handler, or one that only returns, logs, or passes;
//   - the failing call deleted: a call on the crash line disappears and nothing takes its place;
//   - an early return on every input: an unconditional return/throw ahead of the function's code,
//     or a guard whose condition is always true.
import { hasSyntaxErrors } from '../templates/js/ast.ts';
import { hostExec, runPythonHelper } from '../templates/python.ts';
import type { ExecFn } from '../templates/types.ts';
import { jsSuppressionFacts } from './js-facts.ts';
import { SuppressionFactsSchema } from './schema.ts';
import type { CrashSite, SuppressionFacts, SuppressionVerdict } from './types.ts';

export interface SuppressionInput {
  before: ReadonlyMap<string, string>;
  after: ReadonlyMap<string, string>;
  crashSite: CrashSite;
  /**
   * Runs the Python helper for .py crash sites. Defaults to the host's python3: the helper only
   * parses (ast.parse never runs the code); pass the sandbox's exec where the host has no Python.
   */
  exec?: ExecFn;
}

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** The verdict from the facts; the first form found is the reason given. */
export function judge(f: SuppressionFacts): SuppressionVerdict {
  const where = f.functionName === '<module>' ? 'the crash site' : `${f.functionName}()`;
  const t = f.swallowing[0];
  if (t) {
    return { suppressed: true, reason: `wraps the crash site in ${where} in a handler that swallows the error (${t.handler}, line ${t.line})` };
  }
  if (!f.found.after) return { suppressed: true, reason: `deletes ${where}, the function that failed` };
  const fewerCalls = sum(f.calls.after) < sum(f.calls.before);
  const gone = f.crashCalls.filter((k) => (f.calls.after[k] ?? 0) < (f.calls.before[k] ?? 0));
  if (gone.length > 0 && fewerCalls) {
    return { suppressed: true, reason: `deletes the failing call ${gone.map((k) => `${k}()`).join(', ')} from the crash line of ${where} without a replacement` };
  }
  // Statements left unreachable behind the first top-level return/throw: more than before means
  // an exit was put in front of the function's code.
  const dead = (first: number, count: number) => (first < 0 ? 0 : count - first - 1);
  if (dead(f.firstExit.after, f.statements.after) > dead(f.firstExit.before, f.statements.before)) {
    const position = f.firstExit.after === 0 ? 'at the start of' : 'ahead of the rest of';
    return { suppressed: true, reason: `returns unconditionally ${position} ${where}: every input takes the early exit` };
  }
  const g = f.alwaysTrueGuards[0];
  if (g) {
    return { suppressed: true, reason: `adds a guard in ${where} whose condition (${g.condition}) holds for every input, so every input returns early (line ${g.line})` };
  }
  return { suppressed: false };
}

export async function suppressionFacts(input: SuppressionInput): Promise<SuppressionFacts | undefined> {
  const { crashSite } = input;
  const before = input.before.get(crashSite.file);
  if (before === undefined) return undefined;
  // `after` may hold every file or only the changed ones.
  const after = input.after.get(crashSite.file) ?? before;
  if (after === before) return undefined;
  if (/\.py$/i.test(crashSite.file)) {
    const request = { mode: 'suppression', before, after, line: crashSite.line, function: crashSite.function ?? null };
    const answer = await runPythonHelper(input.exec ?? hostExec, request);
    // A version that does not parse is the test run's to reject, not this guard's.
    if (answer && typeof answer === 'object' && 'error' in answer) return undefined;
    return SuppressionFactsSchema.parse(answer);
  }
  if (hasSyntaxErrors(crashSite.file, before) || hasSyntaxErrors(crashSite.file, after)) return undefined;
  return jsSuppressionFacts(before, after, crashSite);
}

/**
 * Rejects a patch that only hides the failure at the crash site. A patch that leaves the crash
 * file alone is not judged here (validation's other gates see it); neither is one whose crash file
 * does not parse (the test run rejects it). Errors of the Python helper itself propagate.
 */
export async function checkSuppression(input: SuppressionInput): Promise<SuppressionVerdict> {
  const facts = await suppressionFacts(input);
  return facts ? judge(facts) : { suppressed: false };
}
