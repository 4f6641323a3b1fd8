// The repair benchmark's harness where it used to mislead: pytest's own traceback format, bug
// folders that are symlinks, each corpus compared with its own published figures only, and the
// per-candidate time limit taken from the bug's own timeoutMs.
import assert from 'node:assert/strict';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadCorpus, writeBug } from '../../../bench/repair/corpus.ts';
import { framesIn } from '../../../bench/repair/localize-frames.ts';
import { markdown } from '../../../bench/repair/report.ts';
import { templatePipeline } from '../../../bench/repair/direct-pipeline.ts';
import { runBug } from '../../../bench/repair/harness.ts';
import type { BugReport } from '../../../bench/repair/harness.ts';

describe('bench harness', () => {
  it("reads frames from pytest's long/short traceback (`path.py:5: in func`) as well as Python's", () => {
    const pytest = ['____ test_x ____', '', 'tests/test_x.py:4: in test_x', '    assert f(0) == 1', 'src/mod.py:7: in f', '    return 1 / x', 'E   ZeroDivisionError: division by zero'].join('\n');
    assert.deepEqual(framesIn(pytest, ['src/mod.py'], '/w'), [{ file: 'src/mod.py', line: 7, function: 'f' }]);
    const native = 'Traceback (most recent call last):\n  File "/w/src/mod.py", line 7, in f\n    return 1 / x\n';
    assert.deepEqual(framesIn(native, ['src/mod.py'], '/w'), [{ file: 'src/mod.py', line: 7, function: 'f' }]);
  });

  it('loads bug folders that are symlinks, and skips broken links', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'tracefix-bench-corpus-'));
    try {
      const store = path.join(root, 'store');
      const corpus = path.join(root, 'corpus');
      await writeBug(store, {
        meta: { id: 'python-1', language: 'python', bugType: 'off-by-one', source: { name: 'test', task: 't' }, files: ['m.py'], timeoutMs: 5000, tests: { visible: ['python3', 'v.py'], groundTruth: ['python3', 'g.py'] } },
        incident: { kind: 'visible-failing-test', testId: 'v', command: ['python3', 'v.py'] },
        repo: { 'm.py': 'x = 1\n', 'v.py': 'import m\n' },
        groundTruth: { 'g.py': 'import m\n' },
      });
      await writeBug(corpus, {
        meta: { id: 'python-2', language: 'python', bugType: 'off-by-one', source: { name: 'test', task: 't' }, files: ['m.py'], timeoutMs: 5000, tests: { visible: ['python3', 'v.py'], groundTruth: ['python3', 'g.py'] } },
        incident: { kind: 'visible-failing-test', testId: 'v', command: ['python3', 'v.py'] },
        repo: { 'm.py': 'x = 1\n', 'v.py': 'import m\n' },
        groundTruth: { 'g.py': 'import m\n' },
      });
      await symlink(path.join(store, 'python-1'), path.join(corpus, 'linked'));
      await symlink(path.join(root, 'nowhere'), path.join(corpus, 'broken'));
      assert.deepEqual((await loadCorpus(corpus)).map((b) => b.meta.id), ['python-1', 'python-2']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it("limits each candidate's test run by the bug's timeoutMs, not a fixed cut", async () => {
    // The visible test takes about 1.5 s; a bug that declares 10 s gets its fix, one that declares
    // 0.5 s has every run killed (before, a fixed 3 s limit applied to both).
    const root = await mkdtemp(path.join(os.tmpdir(), 'tracefix-bench-timeout-'));
    try {
      const bug = (id: string, timeoutMs: number) => ({
        meta: { id, language: 'node' as const, bugType: 'variable misuse', source: { name: 'test', task: 't' }, files: ['second.js'], function: 'second', timeoutMs, tests: { visible: ['node', 'second.test.js'], groundTruth: ['node', 'second.test.js'] } },
        incident: { kind: 'visible-failing-test' as const, testId: 'second', command: ['node', 'second.test.js'] },
        repo: {
          'second.js': '/** The second of two values. */\nfunction second(a, b) {\n  return a;\n}\nmodule.exports = { second };\n',
          'second.test.js': "const assert = require('node:assert');\nconst { second } = require('./second.js');\nsetTimeout(() => assert.equal(second(1, 2), 2), 1500);\n",
        },
        groundTruth: {},
      });
      await writeBug(root, bug('slow-10s', 10_000));
      await writeBug(root, bug('slow-500ms', 500));
      const [ample, tight] = await loadCorpus(root).then((bugs) => ['slow-10s', 'slow-500ms'].map((id) => bugs.find((b) => b.meta.id === id)!));
      const fixed = await runBug(ample!, templatePipeline());
      assert.equal(fixed.plausible, true, fixed.reason ?? '');
      const cut = await runBug(tight!, templatePipeline());
      assert.equal(cut.plausible, false);
      // The reproduction run and every candidate's run are each cut at 0.5 s; uncut, each takes 1.5 s.
      assert.ok(cut.candidates.tried > 0 && cut.timeMs < (cut.candidates.tried + 1) * 1500, `${cut.candidates.tried} candidates in ${cut.timeMs} ms`);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('chooses among validated candidates as the product does (select.ts), not the first that validates', async () => {
    // python-0 of HumanEvalFix in small: `d = a - i` validates first in the engine's order but
    // leaves `b` unread and fails the hidden test; the product's selection prefers `abs(a - b)`.
    const root = await mkdtemp(path.join(os.tmpdir(), 'tracefix-bench-select-'));
    try {
      const code = 'def has_close(numbers, threshold):\n    for i, a in enumerate(numbers):\n        for j, b in enumerate(numbers):\n            if i != j:\n                d = a - b\n                if d < threshold:\n                    return True\n    return False\n';
      await writeBug(root, {
        meta: { id: 'python-close', language: 'python', bugType: 'missing logic', source: { name: 'test', task: 't' }, files: ['m.py'], function: 'has_close', timeoutMs: 10_000, tests: { visible: ['python3', 'v.py'], groundTruth: ['python3', 'g.py'] } },
        incident: { kind: 'visible-failing-test', testId: 'v', command: ['python3', 'v.py'] },
        repo: { 'm.py': code, 'v.py': 'from m import has_close\nassert has_close([1.0, 2.0, 3.0], 0.5) == False\nassert has_close([1.0, 2.8, 3.0, 4.0, 5.0, 2.0], 0.3) == True\n' },
        groundTruth: { 'g.py': 'from m import has_close\nassert has_close([1.0, 2.0, 5.9, 4.0, 5.0], 0.95) == True\nassert has_close([1.0, 2.0, 5.9, 4.0, 5.0], 0.8) == False\nassert has_close([1.1, 2.2, 3.1, 4.1, 5.1], 0.5) == False\n' },
      });
      const [bug] = await loadCorpus(root);
      const report = await runBug(bug!, templatePipeline());
      assert.equal(report.plausible, true, report.reason ?? '');
      assert.equal(report.template, 'wrap', report.description ?? '');
      assert.equal(report.correct, true);
      assert.ok((report.alternatives ?? []).length > 0, 'the other validated candidates are kept as alternatives');
      assert.ok(report.candidates.tried > 1, 'the search went past the first validated candidate');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it("compares a corpus with its own published figures only, and reports the overfitting rate", () => {
    const r = (id: string, plausible: boolean, correct: boolean): BugReport => ({ id, language: 'python', bugType: 'x', reproduced: true, plausible, correct, timeMs: 1000, candidates: { generated: 1, tried: 1, suppressed: 0 } }) as BugReport;
    const reports = [r('a', true, true), r('b', true, false), r('c', false, false), r('d', true, true)];
    const heval = markdown(reports, { corpus: 'humanevalfix (4 bugs)', engine: 'templates' });
    assert.match(heval, /\| python \| 4 \| 4 \| 3 \(75\.0%\) \| 2 \(50\.0%\) \| 33\.3% \| 30\.4% \|/);
    const other = markdown(reports, { corpus: 'quixbugs (4 bugs)', engine: 'templates' });
    assert.match(other, /\| python \| 4 \| 4 \| 3 \(75\.0%\) \| 2 \(50\.0%\) \| 33\.3% \| – \|/);
  });
});
