// The repair benchmark's harness where it used to mislead: pytest's own traceback format, bug
// folders that are symlinks, and each corpus compared with its own published figures only.
import assert from 'node:assert/strict';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadCorpus, writeBug } from '../../../bench/repair/corpus.ts';
import { framesIn } from '../../../bench/repair/localize-frames.ts';
import { markdown } from '../../../bench/repair/report.ts';
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

  it("compares a corpus with its own published figures only, and reports the overfitting rate", () => {
    const r = (id: string, plausible: boolean, correct: boolean): BugReport => ({ id, language: 'python', bugType: 'x', reproduced: true, plausible, correct, timeMs: 1000, candidates: { generated: 1, tried: 1, suppressed: 0 } }) as BugReport;
    const reports = [r('a', true, true), r('b', true, false), r('c', false, false), r('d', true, true)];
    const heval = markdown(reports, { corpus: 'humanevalfix (4 bugs)', engine: 'templates' });
    assert.match(heval, /\| python \| 4 \| 4 \| 3 \(75\.0%\) \| 2 \(50\.0%\) \| 33\.3% \| 30\.4% \|/);
    const other = markdown(reports, { corpus: 'quixbugs (4 bugs)', engine: 'templates' });
    assert.match(other, /\| python \| 4 \| 4 \| 3 \(75\.0%\) \| 2 \(50\.0%\) \| 33\.3% \| – \|/);
  });
});
