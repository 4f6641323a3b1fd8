// Converts the HumanEvalFix subset in ../shared/bench-data into the repair corpus format.
//
//   node bench/repair/convert-humanevalfix.ts [--data <dir>] [--out <dir>] [--language python|js|both]
//
// Per row: repo/ holds the buggy function and its docstring examples as the visible test;
// ground-truth/ holds the row's full test. When the examples pass on the buggy code (the bug is
// invisible to them), the first assertion of the full test that fails on its own is added to the
// visible test, as the data's README prescribes. Every bug is checked on the way: the visible
// test must fail on the buggy code, and the reference fix must pass both tests (else the
// conversion, not the repair, would be wrong); the outcome is noted in meta.json.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeBug, type BugFiles } from './corpus.ts';
import { runCommand } from './host-run.ts';
import { jsAssertionCases, jsSolution, jsTestFile, topLevelNames } from './humanevalfix-js.ts';
import { pythonAssertionCases, pythonSolution, pythonTestFile, type HumanEvalFixRow } from './humanevalfix-python.ts';

const TIMEOUT_MS = 10_000;
const SOURCE_URL = 'https://github.com/bigcode-project/octopack (evaluation/create/humaneval-x/data, e17a8f6)';

type Lang = 'python' | 'js';

interface Layout {
  solutionFile: string;
  solution: (row: HumanEvalFixRow, fixed?: boolean) => string;
  visibleFile: string;
  /** The visible test: the docstring examples (unless unusable) plus an extra case when given. */
  visible: (row: HumanEvalFixRow, extra?: string, examples?: boolean) => string;
  hiddenFile: string;
  hidden: (row: HumanEvalFixRow) => string;
  cases: (row: HumanEvalFixRow) => Array<{ source: string; assertion: string }>;
  run: (file: string) => string[];
}

const fixedRow = (row: HumanEvalFixRow): HumanEvalFixRow => ({ ...row, buggy_solution: row.canonical_solution });

const LAYOUTS: Record<Lang, Layout> = {
  python: {
    solutionFile: 'solution.py',
    solution: (row, fixed) => pythonSolution(fixed ? fixedRow(row) : row),
    visibleFile: 'test_solution.py',
    visible: (row, extra, examples = true) => pythonTestFile('examples', row, examples ? row.example_test : undefined, extra),
    hiddenFile: 'test_hidden.py',
    hidden: (row) => pythonTestFile('hidden', row, row.test),
    cases: pythonAssertionCases,
    run: (file) => ['python3', file],
  },
  js: {
    solutionFile: 'solution.js',
    solution: (row, fixed) => jsSolution(fixed ? fixedRow(row) : row),
    visibleFile: 'solution.test.js',
    visible: (row, extra, examples = true) => jsTestFile('examples', names(row), [...(examples ? [row.example_test] : []), ...(extra ? [extra] : [])]),
    hiddenFile: 'hidden.test.js',
    hidden: (row) => jsTestFile('hidden', names(row), [row.test]),
    cases: jsAssertionCases,
    run: (file) => ['node', file],
  },
};

const names = (row: HumanEvalFixRow) => topLevelNames(`${row.prompt}${row.buggy_solution}`);

/** Runs `files` (one test file among them) in a scratch directory; true when the test passes. */
async function passes(files: Record<string, string>, testFile: string, layout: Layout): Promise<boolean> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-hef-'));
  try {
    for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
    const r = await runCommand(layout.run(testFile), dir, TIMEOUT_MS);
    return r.exitCode === 0 && !r.timedOut;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function convertRow(row: HumanEvalFixRow, lang: Lang, out: string): Promise<{ id: string; notes: string[] }> {
  const layout = LAYOUTS[lang];
  const number = row.task_id.split('/')[1];
  const id = `humanevalfix-${lang}-${number}`;
  const notes: string[] = [];
  const buggy = layout.solution(row);
  const fixed = layout.solution(row, true);
  const run = (solution: string, test: string) => passes({ [layout.solutionFile]: solution, [layout.visibleFile]: test }, layout.visibleFile, layout);
  // Examples the reference fix fails (an empty example_test, say) cannot show the bug either.
  const examplesUsable = row.example_test.trim() !== '' && (await run(fixed, layout.visible(row)));
  if (!examplesUsable) notes.push('example_test is empty or fails on the reference fix: not used');
  let visible = layout.visible(row, undefined, examplesUsable);
  let testId = lang === 'python' ? `${layout.visibleFile}::test_examples` : `${layout.visibleFile} > examples`;
  if (!examplesUsable || (await run(buggy, visible))) {
    let chosen: { source: string; assertion: string } | undefined;
    for (const c of layout.cases(row)) {
      const candidate = layout.visible(row, c.source, examplesUsable);
      if (!(await run(buggy, candidate)) && (await run(fixed, candidate))) {
        chosen = c;
        visible = candidate;
        break;
      }
    }
    if (chosen) {
      const why = examplesUsable ? 'example_test passes on the buggy code' : 'no usable example_test';
      notes.push(`${why}; visible test gets one failing assertion of test: ${chosen.assertion.replace(/\s+/g, ' ').slice(0, 200)}`);
      testId += ' (with one assertion of the full test)';
    } else {
      notes.push('neither example_test nor any single assertion of test fails on the buggy code: not reproducible from visible tests');
    }
  }
  const hidden = layout.hidden(row);
  const fixVisible = await passes({ [layout.solutionFile]: fixed, [layout.visibleFile]: visible }, layout.visibleFile, layout);
  const fixHidden = await passes({ [layout.solutionFile]: fixed, [layout.hiddenFile]: hidden }, layout.hiddenFile, layout);
  const buggyHidden = await passes({ [layout.solutionFile]: buggy, [layout.hiddenFile]: hidden }, layout.hiddenFile, layout);
  if (!fixVisible || !fixHidden) notes.push(`conversion check: the reference fix ${fixVisible ? '' : 'fails the visible test '}${fixHidden ? '' : 'fails the ground truth'}`.trim());
  if (buggyHidden) notes.push('conversion check: the buggy code passes the ground truth');

  const bug: BugFiles = {
    meta: {
      id,
      language: lang === 'python' ? 'python' : 'node',
      bugType: row.bug_type,
      failureSymptoms: row.failure_symptoms,
      source: { name: 'HumanEvalFix', task: row.task_id, license: 'MIT', url: SOURCE_URL },
      files: [layout.solutionFile],
      function: row.entry_point,
      tests: { visible: layout.run(layout.visibleFile), groundTruth: layout.run(layout.hiddenFile) },
      timeoutMs: TIMEOUT_MS,
      notes,
    },
    incident: { kind: 'visible-failing-test', testId, command: layout.run(layout.visibleFile) },
    repo: {
      [layout.solutionFile]: buggy,
      [layout.visibleFile]: visible,
      ...(lang === 'js' ? { 'package.json': JSON.stringify({ name: id, private: true, type: 'commonjs', scripts: { test: `node --test ${layout.visibleFile}` } }, null, 2) + '\n' } : {}),
    },
    groundTruth: { [layout.hiddenFile]: hidden },
  };
  await writeBug(out, bug);
  return { id, notes };
}

export async function convertHumanEvalFix(dataDir: string, out: string, languages: readonly Lang[]): Promise<Array<{ id: string; notes: string[] }>> {
  const done: Array<{ id: string; notes: string[] }> = [];
  for (const lang of languages) {
    const file = path.join(dataDir, `humanevalfix-${lang}-public.jsonl`);
    const rows = (await readFile(file, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as HumanEvalFixRow);
    for (const row of rows) done.push(await convertRow(row, lang, out));
  }
  return done;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: '/work/shared/bench-data' },
      out: { type: 'string', default: '.tracefix/bench/humanevalfix' },
      language: { type: 'string', default: 'both' },
    },
  });
  const languages: Lang[] = values.language === 'both' ? ['python', 'js'] : [values.language as Lang];
  const out = path.resolve(values.out);
  await rm(out, { recursive: true, force: true });
  const done = await convertHumanEvalFix(values.data, out, languages);
  for (const d of done) console.log(`${d.id}${d.notes.length ? `: ${d.notes.join('; ')}` : ''}`);
  console.log(`${done.length} bugs written to ${out}`);
  // Keep a copy of the data's README beside the corpus: it states the licence and the source.
  await cp(path.join(values.data, 'README.md'), path.join(out, 'SOURCE.md')).catch(() => undefined);
}

if (import.meta.main) await main();
