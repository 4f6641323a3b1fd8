// The workspace reset on its own, in a real sandbox over a real checkout: every way a test process
// can change the workspace (edits, deletions, mode changes, new files in new directories, names
// git quotes, a symlink, binary files, caches, ignored files) against a recording that already
// holds an untracked file and a dirty tracked one, and what comes back, what is removed, what is
// reported instead. In every sandbox target (the local driver, and docker when it is here). And
// the rebuilding of a file at the commit from its diff section, against git itself.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, statSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { contentAtCommit, parseWorkspaceDiff } from '../../../src/repair/validate/diff-sections.ts';
import { recordWorkspace, resetWorkspace, type WorkspaceRecord } from '../../../src/repair/validate/workspace-reset.ts';
import { workspaceDiff } from '../../../src/sandbox/git-diff.ts';
import type { Sandbox } from '../../../src/sandbox/types.ts';
import { sandboxTargets } from '../reproduce/helpers.ts';
import { git } from './helpers.ts';

const targets = await sandboxTargets();

const COMMIT: Record<string, string | Buffer> = {
  '.gitignore': 'ignored/\n',
  'src/a.txt': Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n') + '\n',
  'src/no-eol.txt': 'one\ntwo',
  'lib/deep/gone.txt': 'deleted by a test\n',
  'run.sh': '#!/bin/sh\necho run\n',
  'plain.sh': '#!/bin/sh\necho plain\n',
  'with space.txt': 'spaced\n',
  'ünï.txt': 'unicode\n',
  'dirty.txt': 'at the commit\n',
  'logo.bin': Buffer.from([0, 1, 2, 3]),
};

/** What the test processes do (as the sandbox user, like a test run). */
const SIDE_EFFECTS = [
  "sed -i -e 's/^line 3$/line three/' -e '/^line 17$/d' -e 's/^line 30$/line 30\\nline 31/' src/a.txt",
  "printf '\\nthree' >> src/no-eol.txt",
  'rm -r lib',
  'chmod -x run.sh',
  'chmod +x plain.sh',
  "echo changed > 'with space.txt'",
  'echo changed > ünï.txt',
  "printf 'again\\n' >> dirty.txt",
  'rm test/repro.test.js',
  "mkdir -p new/dir && printf 'n1\\nn2' > 'new/dir/f ile.txt'",
  "printf '\\000\\001' > new.bin",
  'ln -s src/a.txt link',
  "mkdir -p pkg/__pycache__ && printf '\\000' > pkg/__pycache__/m.pyc",
  'mkdir -p ignored && echo kept > ignored/x',
  "printf '\\000\\002' > logo.bin",
].join(' && ');

const REPRO = "test('repro', () => { throw new TypeError('x'); });\n";

for (const target of targets) {
  describe(`workspace reset (${target.name})`, { skip: target.skip }, () => {
    let parent: string;
    let dir: string;
    let sandbox: Sandbox;
    let record: WorkspaceRecord;
    before(async () => {
      parent = await mkdtemp(path.join(os.tmpdir(), 'tracefix-reset-'));
      await chmod(parent, 0o711);
      dir = path.join(parent, 'repo');
      for (const [file, content] of Object.entries(COMMIT)) {
        await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
        await writeFile(path.join(dir, file), content);
      }
      await chmod(path.join(dir, 'run.sh'), 0o755);
      git(dir, 'init', '-q');
      git(dir, 'add', '-A');
      git(dir, 'commit', '-q', '-m', 'incident commit');
      // The recorded state: a reproduction test (untracked) and a file already changed.
      await mkdir(path.join(dir, 'test'));
      await writeFile(path.join(dir, 'test/repro.test.js'), REPRO);
      await writeFile(path.join(dir, 'dirty.txt'), 'recorded\n');
      sandbox = await target.create(dir, 'node');
      record = await recordWorkspace(sandbox);
      assert.deepEqual([...record.sections.keys()].sort(), ['dirty.txt', 'test/repro.test.js']);
    });
    after(async () => {
      await sandbox?.destroy();
      await rm(parent, { recursive: true, force: true });
    });

    it('changes nothing when nothing drifted', async () => {
      assert.deepEqual(await resetWorkspace(sandbox, record), { restored: [], removed: [], failed: new Map() });
    });

    it('puts back every file the diff can give, removes what is new, reports the rest', async () => {
      const r = await sandbox.exec(['sh', '-c', SIDE_EFFECTS]);
      assert.equal(r.exitCode, 0, r.stderr);
      const reset = await resetWorkspace(sandbox, record);
      assert.deepEqual(reset.restored, ['dirty.txt', 'lib/deep/gone.txt', 'plain.sh', 'run.sh', 'src/a.txt', 'src/no-eol.txt', 'test/repro.test.js', 'with space.txt', 'ünï.txt']);
      assert.deepEqual(reset.removed, ['link', 'new.bin', 'new/dir/f ile.txt']);
      assert.deepEqual([...reset.failed], [['logo.bin', 'a binary file or a type change']]);

      for (const [file, content] of Object.entries(COMMIT)) {
        if (file === 'logo.bin' || file === 'dirty.txt') continue;
        assert.equal(await readFile(path.join(dir, file), 'utf8'), content, file);
      }
      assert.equal(await readFile(path.join(dir, 'dirty.txt'), 'utf8'), 'recorded\n');
      assert.equal(await readFile(path.join(dir, 'test/repro.test.js'), 'utf8'), REPRO);
      assert.equal(statSync(path.join(dir, 'run.sh')).mode & 0o111, 0o111);
      assert.equal(statSync(path.join(dir, 'plain.sh')).mode & 0o111, 0);
      assert.ok(!existsSync(path.join(dir, 'new')), 'the directories the new files needed are gone');
      assert.equal(lstatSync(path.join(dir, 'link'), { throwIfNoEntry: false }), undefined);
      assert.ok(existsSync(path.join(dir, 'pkg/__pycache__/m.pyc')), 'caches are left alone');
      assert.ok(existsSync(path.join(dir, 'ignored/x')), 'ignored files are not in the diff: left alone');

      // The diff is the recorded one but for what was reported and the cache.
      const now = parseWorkspaceDiff(await sandbox.diff());
      assert.deepEqual([...now.keys()].sort(), ['dirty.txt', 'logo.bin', 'pkg/__pycache__/m.pyc', 'test/repro.test.js']);
      for (const file of ['dirty.txt', 'test/repro.test.js']) assert.equal(now.get(file)?.text, record.sections.get(file)?.text, file);
      assert.equal(execFileSync('git', ['status', '--porcelain', '--', 'lib', 'src'], { cwd: dir, encoding: 'utf8' }), '');
    });
  });
}

describe('a changed file at the commit, rebuilt from its diff section and its text now', () => {
  // Awkward lines on purpose: empty, blank, CR-ended, and ones that read like diff syntax.
  const WORDS = ['a', 'b', '', ' ', 'c\r', 'diff --git a/x b/x', '@@ -1 +1 @@', '\\ No newline at end of file', '-', '+', 'same'];

  it('matches git show HEAD:<file> for random edits, newline at the end or not', async () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const word = () => WORDS[Math.floor(random() * WORDS.length)] as string;
    const text = (n: number) => Array.from({ length: n }, word).join('\n') + (random() < 0.7 ? '\n' : '');
    const parent = await mkdtemp(path.join(os.tmpdir(), 'tracefix-sections-'));
    try {
      for (let f = 0; f < 60; f++) await writeFile(path.join(parent, `f${f}.txt`), text(Math.floor(random() * 30)));
      git(parent, 'init', '-q');
      git(parent, 'add', '-A');
      git(parent, 'commit', '-q', '-m', 'commit');
      for (let f = 0; f < 60; f++) {
        const file = path.join(parent, `f${f}.txt`);
        const lines = (await readFile(file, 'utf8')).split('\n');
        for (let k = 0; k < 4; k++) {
          const at = Math.floor(random() * (lines.length + 1));
          const op = random();
          if (op < 0.33) lines.splice(at, 1);
          else if (op < 0.66) lines.splice(at, 0, word());
          else lines[at] = word();
        }
        let next = lines.join('\n');
        if (random() < 0.2) next = next.endsWith('\n') ? next.slice(0, -1) : `${next}\n`;
        await writeFile(file, random() < 0.05 ? '' : next);
      }
      const sections = parseWorkspaceDiff(await workspaceDiff(parent));
      assert.ok(sections.size > 50);
      for (const [file, section] of sections) {
        const head = execFileSync('git', ['show', `HEAD:${file}`], { cwd: parent, encoding: 'utf8' });
        assert.equal(contentAtCommit(section, await readFile(path.join(parent, file), 'utf8')), head, section.text);
      }
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });
});
