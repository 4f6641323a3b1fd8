// HumanEvalFix Python rows → repository files. The buggy function is `prompt + buggy_solution` in
// solution.py; a test file imports it and calls the row's `check(candidate)` from a pytest-style
// test function (also runnable as `python3 test_x.py`, which is how the harness runs it).
import { execFileSync } from 'node:child_process';

export interface HumanEvalFixRow {
  task_id: string;
  prompt: string;
  buggy_solution: string;
  canonical_solution: string;
  test: string;
  example_test: string;
  entry_point: string;
  bug_type: string;
  failure_symptoms: string;
}

/** Drops the row's module-level `check(entry)` call; the test function calls it instead. */
function withoutCheckCall(test: string): string {
  return test.replace(/^check\(\w+\)\s*$/gm, '').replace(/\s+$/, '') + '\n';
}

export function pythonSolution(row: HumanEvalFixRow): string {
  return `${row.prompt}${row.buggy_solution}`.replace(/\s+$/, '') + '\n';
}

/** A test module: the row's check(), plus extra checks, each run by `test_<name>()`. */
export function pythonTestFile(testName: string, row: HumanEvalFixRow, checkSource: string | undefined, extra?: string): string {
  const calls: string[] = [];
  if (checkSource) calls.push(`    check(${row.entry_point})`);
  if (extra) calls.push(`    check_hidden_case(${row.entry_point})`);
  return [
    'from solution import *  # noqa: F401,F403',
    '',
    '',
    ...(checkSource ? [withoutCheckCall(checkSource).trimEnd(), '', ''] : []),
    ...(extra ? [extra.trimEnd(), '', ''] : []),
    `def test_${testName}():`,
    ...calls,
    '',
    '',
    "if __name__ == '__main__':",
    `    test_${testName}()`,
    '',
  ].join('\n');
}

const SPLIT_SCRIPT = String.raw`
import ast, json, sys
src = sys.stdin.read()
tree = ast.parse(src)
prelude, cases, compound = [], [], []
for node in tree.body:
    if isinstance(node, ast.FunctionDef) and node.name == 'check':
        arg = node.args.args[0].arg
        setup = []
        for stmt in node.body:
            seg = ast.get_source_segment(src, stmt)
            if isinstance(stmt, ast.Assert):
                cases.append({'arg': arg, 'setup': list(setup), 'assertion': seg, 'compound': False})
            else:
                if any(isinstance(n, ast.Assert) for n in ast.walk(stmt)):
                    compound.append({'arg': arg, 'setup': list(setup), 'assertion': seg, 'compound': True})
                setup.append(seg)
    elif not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and getattr(node.value.func, 'id', '') == 'check'):
        prelude.append(ast.get_source_segment(src, node))
# Top-level assertions first; a loop holding assertions only when none of those fails alone.
print(json.dumps({'prelude': prelude, 'cases': cases + compound}))
`;

export interface SplitCase {
  /** A standalone `check_hidden_case(candidate)` function holding one assertion of the row's test. */
  source: string;
  assertion: string;
}

/**
 * One case per top-level assertion of the row's `check`, with the setup statements before it;
 * then one per statement that holds assertions inside it (a loop over random inputs).
 */
export function pythonAssertionCases(row: HumanEvalFixRow): SplitCase[] {
  const out = execFileSync('python3', ['-c', SPLIT_SCRIPT], { input: row.test, encoding: 'utf8' });
  const parsed = JSON.parse(out) as { prelude: string[]; cases: Array<{ arg: string; setup: string[]; assertion: string }> };
  const indent = (s: string) => s.split('\n').map((l) => `    ${l}`).join('\n');
  return parsed.cases.map((c) => ({
    assertion: c.assertion,
    source: [
      ...parsed.prelude.filter((p) => !/^def check\b/.test(p)),
      `def check_hidden_case(${c.arg}):`,
      ...c.setup.map(indent),
      indent(c.assertion),
      '',
    ].join('\n'),
  }));
}
