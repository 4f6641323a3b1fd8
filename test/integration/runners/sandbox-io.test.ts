// Reading reports back through a capped exec, and what runTests says when no report appears.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_DENIED_PATHS, type RepoConfig } from '../../../schemas/repo-config.ts';
import { runTests } from '../../../src/runners/run-tests.ts';
import { makeTempDir, readSandboxFile, removeDir, workspaceRoot } from '../../../src/runners/sandbox-io.ts';
import { createHostSandbox } from '../../helpers/host-sandbox.ts';

function config(command: string, timeoutMs = 60_000): RepoConfig {
  return {
    language: 'node',
    framework: 'node-test',
    image: 'x',
    test: { command, files: ['**/*.test.js'] },
    paths: { allow: [], deny: [...DEFAULT_DENIED_PATHS] },
    maxPatchLines: 200,
    maxPatchFiles: 5,
    flakeReruns: 3,
    timeouts: { installMs: timeoutMs, testMs: timeoutMs, singleTestMs: timeoutMs, checkMs: timeoutMs },
    source: { file: null, detected: [] },
  };
}

describe('sandbox I/O', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-io-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a file larger than the output cap intact, multibyte characters included', async () => {
    const sandbox = createHostSandbox(dir, { outputBytes: 1000 });
    const tmp = await makeTempDir(sandbox, 'io');
    try {
      const text = 'é€😀 line\n'.repeat(700);
      await writeFile(path.join(tmp, 'big.txt'), text);
      assert.equal(await readSandboxFile(sandbox, path.join(tmp, 'big.txt')), text);
      assert.equal(await readSandboxFile(sandbox, path.join(tmp, 'missing.txt')), undefined);
    } finally {
      await removeDir(sandbox, tmp);
    }
    await assert.rejects(removeDir(sandbox, '/etc'), /Refusing/);
    assert.equal(await workspaceRoot(sandbox), dir);
  });

  it('explains a run that wrote no report', async () => {
    const sandbox = createHostSandbox(dir);
    const missing = await runTests(sandbox, config('no-such-test-command'));
    assert.deepEqual(missing.tests, []);
    assert.match(missing.problem ?? '', /node:test wrote no report.*exit code 127/s);
  });

  it('reports a timeout as the problem', async () => {
    const sandbox = createHostSandbox(dir);
    const slow = await runTests(sandbox, config('sleep 5; true', 300));
    assert.equal(slow.raw.timedOut, true);
    assert.match(slow.problem ?? '', /timed out/);
  });
});
