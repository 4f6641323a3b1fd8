// The agent's tools on a real directory through a real (host) sandbox: what each returns, what
// each refuses and why, and that the ledger knows exactly what changed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_DENIED_PATHS, type RepoConfig } from '../../../schemas/repo-config.ts';
import { EditLedger } from '../../../src/agent/edits.ts';
import { dispatch } from '../../../src/agent/tools/registry.ts';
import { EDIT_TOOLS } from '../../../src/agent/tools/edit.ts';
import { READ_TOOLS } from '../../../src/agent/tools/read.ts';
import { showDiffTool } from '../../../src/agent/tools/submit.ts';
import type { ToolContext } from '../../../src/agent/tools/types.ts';
import { createHostSandbox } from '../../helpers/host-sandbox.ts';
import { repoConfig } from '../reproduce/helpers.ts';

const TOOLS = [...READ_TOOLS, ...EDIT_TOOLS, showDiffTool];
const TRACKED = ['src/a.js', 'src/link.js', 'test/a.test.js', '.github/workflows/ci.yml', 'README.md'];

let root: string;
let dir: string;

before(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'tracefix-agent-tools-'));
  dir = path.join(root, 'repo');
  await mkdir(path.join(dir, 'src'), { recursive: true });
  await mkdir(path.join(dir, 'test'), { recursive: true });
  await mkdir(path.join(dir, '.github/workflows'), { recursive: true });
  await writeFile(path.join(dir, 'src/a.js'), 'const a = 1;\nconst b = 1;\n');
  await writeFile(path.join(dir, 'test/a.test.js'), "require('node:test');\n");
  await writeFile(path.join(dir, '.github/workflows/ci.yml'), 'on: push\n');
  await writeFile(path.join(dir, 'README.md'), '# a\n');
  await writeFile(path.join(dir, 'notes.txt'), 'untracked\n');
  await writeFile(path.join(dir, 'test/notes.test.js'), '// untracked, not ours\n');
  await symlink('../.github/workflows/ci.yml', path.join(dir, 'src/link.js'));
  execFileSync('git', ['init', '-q', dir]);
});
after(() => rm(root, { recursive: true, force: true }));

function context(config: Partial<RepoConfig> = {}): ToolContext {
  const sandbox = createHostSandbox(dir);
  const repo: RepoConfig = { ...repoConfig('node-test', ['test/**/*.test.js']), paths: { allow: [], deny: [...DEFAULT_DENIED_PATHS] }, ...config };
  return {
    sandbox,
    repoConfig: repo,
    trackedFiles: new Set(TRACKED),
    existingTests: new Set(['test/a.test.js']),
    ledger: new EditLedger(sandbox),
    reproduction: { testFile: 'test/tracefix-1.test.js', testId: 'test/tracefix-1.test.js::x' },
    testEnv: {},
  };
}

const use = async (ctx: ToolContext, name: string, args: unknown, max = 12_000) => (await dispatch(TOOLS, { name, arguments: JSON.stringify(args) }, ctx, max)).content;

describe('read_file, list_dir, search', () => {
  it('reads a line range with numbers, inside a data block', async () => {
    assert.equal(await use(context(), 'read_file', { path: 'src/a.js', start_line: 2, end_line: 2 }), 'src/a.js: lines 2-2 of 2\n<untrusted-data id="read_file:src/a.js">\n2| const b = 1;\n</untrusted-data>');
    assert.equal(await use(context(), 'read_file', { path: 'src/a.js', start_line: 9 }), 'error: src/a.js has 2 lines; start_line 9 is past the end');
    assert.match(await use(context(), 'read_file', { path: 'src/missing.js' }), /^error: cannot read src\/missing\.js: /);
  });

  it('lists a directory without .git', async () => {
    const out = await use(context(), 'list_dir', {});
    assert.match(out, /^\.: \d+ entries\n/);
    assert.ok(out.includes('\nsrc/\n') && out.includes('README.md') && !out.includes('.git/\n'));
  });

  it('searches with a regular expression, and says when nothing matches', async () => {
    assert.equal(await use(context(), 'search', { pattern: 'const [ab] =', path: 'src' }), '2 matching lines in src\n<untrusted-data id="search:src">\nsrc/a.js:1:const a = 1;\nsrc/a.js:2:const b = 1;\n</untrusted-data>');
    assert.equal(await use(context(), 'search', { pattern: 'nothing-like-this' }), 'no match in .');
    assert.match(await use(context(), 'search', { pattern: '(' }), /^error: search failed \(exit 2\)/);
  });
});

describe('edit and write_test', () => {
  it('edits an exact, unique match and shows the diff; refuses ambiguous and missing matches', async () => {
    const ctx = context();
    assert.equal(await use(ctx, 'edit', { path: 'src/a.js', old_text: 'const', new_text: 'let' }), 'error: old_text matches 2 places in src/a.js (lines 1, 2); include more surrounding lines so it matches once');
    assert.equal(await use(ctx, 'edit', { path: 'src/a.js', old_text: 'const  b = 1;', new_text: 'x' }), 'error: old_text was not found in src/a.js; it matches at line 2 if whitespace is ignored: copy the indentation exactly');
    const out = await use(ctx, 'edit', { path: 'src/a.js', old_text: 'const b = 1;', new_text: 'const b = 2;' });
    assert.match(out, /^edited src\/a\.js at line 2\n<untrusted-data id="edit:src\/a\.js">\ndiff --git a\/src\/a\.js b\/src\/a\.js\n[\s\S]*-const b = 1;\n\+const b = 2;\n/);
    await ctx.ledger.reset();
    assert.equal(await readFile(path.join(dir, 'src/a.js'), 'utf8'), 'const a = 1;\nconst b = 1;\n');
  });

  it('refuses denied paths, existing tests, the reproduction, untracked files and links that lead to denied paths', async () => {
    const ctx = context();
    const refusals = [
      await use(ctx, 'edit', { path: '.github/workflows/ci.yml', old_text: 'push', new_text: 'pull' }),
      await use(ctx, 'edit', { path: 'src/link.js', old_text: 'push', new_text: 'pull' }),
      await use(ctx, 'edit', { path: 'test/a.test.js', old_text: 'require', new_text: 'x' }),
      await use(ctx, 'edit', { path: 'test/tracefix-1.test.js', old_text: 'a', new_text: 'b' }),
      await use(ctx, 'edit', { path: 'notes.txt', old_text: 'untracked', new_text: 'x' }),
      await use(ctx, 'edit', { path: '/etc/passwd', old_text: 'root', new_text: 'x' }),
      await use(ctx, 'write_test', { path: 'test/a.test.js', content: '' }),
      await use(ctx, 'write_test', { path: 'test/a.test.js', content: '// gone' }),
      await use(ctx, 'write_test', { path: 'test/notes.test.js', content: '// mine now' }),
      await use(ctx, 'write_test', { path: 'src/b.test.ts', content: '// not a test path' }),
    ];
    assert.deepEqual(refusals, [
      'error: refused: .github/workflows/ci.yml is not editable (matches the denied pattern ".github/**")',
      'error: refused: .github/workflows/ci.yml is not editable (matches the denied pattern ".github/**") (reached through src/link.js)',
      'error: refused: test/a.test.js is an existing test file: tests are evidence, a fix never edits or deletes them',
      'error: refused: test/tracefix-1.test.js is the reproduction test; a fix makes it pass as it is',
      "error: refused: notes.txt is not a file of the repository at the incident's commit (edit changes existing files; new test files go through write_test)",
      'error: refused: "/etc/passwd" is not a path inside the workspace (use a relative path such as src/app.js)',
      'error: invalid arguments for write_test: content: Too small: expected string to have >=1 characters',
      'error: refused: test/a.test.js is an existing test file: tests are evidence, a fix never edits or deletes them',
      'error: refused: test/notes.test.js already exists and was not written by you',
      'error: refused: src/b.test.ts is not where this repository keeps tests (test file patterns: test/**/*.test.js)',
    ]);
    assert.equal(ctx.ledger.hasChanges(), false);
  });

  it('writes new tests (outside an allow list too), keeps them out of the patch, removes them on reset', async () => {
    const ctx = context({ paths: { allow: ['src/**'], deny: [...DEFAULT_DENIED_PATHS] } });
    assert.equal(await use(ctx, 'write_test', { path: 'test/new.test.js', content: '// one\n' }), 'wrote test/new.test.js (2 lines)');
    assert.equal(await use(ctx, 'write_test', { path: 'test/new.test.js', content: '// two\n' }), 'rewrote test/new.test.js (2 lines)');
    assert.match(await use(ctx, 'edit', { path: 'test/new.test.js', old_text: 'two', new_text: 'three' }), /^edited test\/new\.test\.js/);
    assert.equal(await use(ctx, 'edit', { path: 'README.md', old_text: '# a', new_text: '# b' }), 'error: refused: README.md is not editable (outside the allowed paths)');
    await use(ctx, 'edit', { path: 'src/a.js', old_text: 'const a = 1;', new_text: 'const a = 3;' });
    assert.deepEqual((await ctx.ledger.changes()).map((c) => c.path), ['src/a.js']);
    assert.deepEqual((await ctx.ledger.changes({ includeCreated: true })).map((c) => c.path), ['src/a.js', 'test/new.test.js']);
    assert.match(await use(ctx, 'show_diff', {}), /^changes in 2 file\(s\)\n[\s\S]*\+\/\/ three/);
    await ctx.ledger.reset();
    assert.equal(await readFile(path.join(dir, 'src/a.js'), 'utf8'), 'const a = 1;\nconst b = 1;\n');
    await assert.rejects(readFile(path.join(dir, 'test/new.test.js')));
  });
});

describe('results', () => {
  it('cuts a large result inside its block and says so', async () => {
    await writeFile(path.join(dir, 'src/big.js'), `${'x'.repeat(400)}\n`.repeat(500));
    const out = await use(context(), 'read_file', { path: 'src/big.js' }, 3000);
    assert.ok(out.length <= 3100, String(out.length));
    assert.match(out, /\[… \d+ characters cut: the output passed the \d+-character limit; read a smaller line range …\]/);
    assert.match(out, /<\/untrusted-data>$/);
  });
});
