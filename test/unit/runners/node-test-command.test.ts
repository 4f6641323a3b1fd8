// Our flags must land before a node:test command's file patterns: node hands everything after the
// first pattern to the tests as their own arguments.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { splitNodeTestCommand } from '../../../src/runners/node-test-command.ts';
import { nodeTestRunner } from '../../../src/runners/node-test.ts';

test('splits prefix, options and patterns; leaves other shapes alone', () => {
  assert.deepEqual(splitNodeTestCommand('node --test "test/**/*.test.js"'), { prefix: 'node --test', options: [], patterns: ['"test/**/*.test.js"'] });
  assert.deepEqual(splitNodeTestCommand('TZ=UTC node --import ./setup.js --test --test-concurrency=1 test/a.test.js'), {
    prefix: 'TZ=UTC node --import ./setup.js --test',
    options: ['--test-concurrency=1'],
    patterns: ['test/a.test.js'],
  });
  assert.deepEqual(splitNodeTestCommand('node --test'), { prefix: 'node --test', options: [], patterns: [] });
  assert.equal(splitNodeTestCommand('npm run build && node --test test/'), undefined);
  assert.equal(splitNodeTestCommand('vitest run'), undefined);
});

test('a base command with a file pattern still writes the report and honours the filter', (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tracefix-node-test-cmd-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(path.join(dir, 'test'));
  mkdirSync(path.join(dir, 'other'));
  writeFileSync(path.join(dir, 'test', 'a.test.js'), "const { test } = require('node:test');\ntest('one', () => {});\ntest('two', () => {});\n");
  writeFileSync(path.join(dir, 'other', 'b.test.js'), "const { test } = require('node:test');\ntest('elsewhere', () => { throw new Error('not in the pattern'); });\n");
  const node = process.execPath;
  const base = `${node} --test "test/**/*.test.js"`;
  const run = (testIds?: string[]) => {
    const outDir = mkdtempSync(path.join(dir, 'out-'));
    const cmd = nodeTestRunner.command({ outDir, baseCommand: base, ...(testIds ? { testIds } : {}) });
    // A clean environment: under `node --test`, NODE_TEST_CONTEXT would turn the child run into
    // a subtest stream of ours, which writes no report.
    execFileSync(cmd.argv[0]!, cmd.argv.slice(1), { cwd: dir, stdio: 'ignore', env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' } });
    return readFileSync(cmd.reports[0]!, 'utf8');
  };
  const all = run();
  assert.match(all, /name="one"/);
  assert.match(all, /name="two"/);
  assert.doesNotMatch(all, /elsewhere/, "the command's own pattern still decides which files run");
  const one = run(['test/a.test.js::one']);
  assert.match(one, /name="one"/);
  assert.doesNotMatch(one, /name="two"/);
});
