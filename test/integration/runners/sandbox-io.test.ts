// Reading reports back through a capped exec (and removing them in the same exec), how many execs
// a test run costs, and what runTests says when no report appears.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_DENIED_PATHS, type RepoConfig } from '../../../schemas/repo-config.ts';
import { runTests } from '../../../src/runners/run-tests.ts';
import { makeTempDir, readReportsAndRemove, readSandboxFile, removeDir, workspaceRoot } from '../../../src/runners/sandbox-io.ts';
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

  it('reads a report and removes its directory in one exec; a large report still whole', async () => {
    const counted = (cap?: number) => {
      const sandbox = createHostSandbox(dir, cap ? { outputBytes: cap } : {});
      const calls: string[][] = [];
      const exec = sandbox.exec.bind(sandbox);
      sandbox.exec = (argv, options) => (calls.push(argv), exec(argv, options));
      return { sandbox, calls };
    };
    const small = counted();
    const tmp = await makeTempDir(small.sandbox, 'io');
    await writeFile(path.join(tmp, 'report.xml'), '<testsuites/>');
    small.calls.length = 0;
    assert.deepEqual(await readReportsAndRemove(small.sandbox, [path.join(tmp, 'report.xml')], tmp), { [path.join(tmp, 'report.xml')]: '<testsuites/>' });
    assert.equal(small.calls.length, 1, 'one exec');
    assert.equal(existsSync(tmp), false, 'the directory is gone');
    const big = counted(1000);
    const tmp2 = await makeTempDir(big.sandbox, 'io');
    const text = 'é€😀 line\n'.repeat(5000);
    await writeFile(path.join(tmp2, 'report.xml'), text);
    assert.equal((await readReportsAndRemove(big.sandbox, [path.join(tmp2, 'report.xml')], tmp2))[path.join(tmp2, 'report.xml')], text);
    assert.equal(existsSync(tmp2), false);
    const none = await makeTempDir(small.sandbox, 'io');
    assert.deepEqual(await readReportsAndRemove(small.sandbox, [path.join(none, 'missing.xml')], none), { [path.join(none, 'missing.xml')]: undefined });
    assert.equal(existsSync(none), false);
    await assert.rejects(readReportsAndRemove(small.sandbox, [], '/etc'), /Refusing/);
  });

  it('runs a test command in two execs: the command with its report directory, then the report', async () => {
    const sandbox = createHostSandbox(dir);
    await writeFile(path.join(dir, 'one.test.js'), "require('node:test').it('passes', () => {});\n");
    const calls: string[][] = [];
    const exec = sandbox.exec.bind(sandbox);
    sandbox.exec = (argv, options) => (calls.push(argv), exec(argv, options));
    await workspaceRoot(sandbox);
    calls.length = 0;
    const results = await runTests(sandbox, config('node --test'));
    assert.deepEqual(results.tests.map((t) => t.status), ['passed'], results.problem ?? '');
    assert.equal(calls.length, 2, JSON.stringify(calls));
    await rm(path.join(dir, 'one.test.js'));
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
