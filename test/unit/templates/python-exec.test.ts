// The Python helper runs through whatever `exec` it is given: here a Sandbox's exec (the host test
// sandbox stands in for the docker/local drivers), as production passes `sandbox.exec`. Nothing is
// written into the workspace, and a failing helper surfaces as an error, not as zero candidates.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { checkSuppression } from '../../../src/repair/guards/index.ts';
import { generateCandidates } from '../../../src/repair/templates/engine.ts';
import type { ExecFn } from '../../../src/repair/templates/types.ts';
import { createHostSandbox } from '../../helpers/host-sandbox.ts';

const SRC = `def ratio(done, total):
    return done / total
`;

test('candidates and suppression facts through a Sandbox exec, leaving the workspace untouched', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tracefix-pyexec-'));
  try {
    const sandbox = createHostSandbox(dir);
    const exec: ExecFn = (argv, options) => sandbox.exec(argv, options);
    const cands = await generateCandidates({
      files: new Map([['calc.py', SRC]]),
      ranking: [{ file: 'calc.py', line: 2, score: 1 }],
      language: 'python',
      exec,
    });
    assert.ok(cands.some((c) => c.template === 'zero-divisor'));
    const verdict = await checkSuppression({
      before: new Map([['calc.py', SRC]]),
      after: new Map([['calc.py', SRC.replace('    return done / total', '    return 0\n    return done / total')]]),
      crashSite: { file: 'calc.py', line: 2, function: 'ratio' },
      exec,
    });
    assert.equal(verdict.suppressed, true);
    assert.deepEqual(readdirSync(dir), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    // The host sandbox keeps its HOME beside the workspace.
    rmSync(path.join(path.dirname(dir), `.home-${path.basename(dir)}`), { recursive: true, force: true });
  }
});

test('a helper that cannot run is an error, not an empty answer', async () => {
  const broken: ExecFn = async () => ({ exitCode: 127, stdout: '', stderr: 'python3: not found' });
  await assert.rejects(
    generateCandidates({ files: new Map([['calc.py', SRC]]), ranking: [{ file: 'calc.py', line: 2, score: 1 }], language: 'python', exec: broken }),
    /Python template helper failed \(exit 127\): python3: not found/,
  );
  await assert.rejects(
    generateCandidates({ files: new Map([['calc.py', SRC]]), ranking: [{ file: 'calc.py', line: 2, score: 1 }], language: 'python' }),
    /needs an exec function/,
  );
});
