import assert from 'node:assert/strict';
import { existsSync, lstatSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WorkspaceError } from '../../../src/workspace/errors.ts';
import { createWorkspaceManager, type WorkspaceManager } from '../../../src/workspace/workspace.ts';
import { commit, gitIn, makeRepo } from '../../helpers/git-repo.ts';

describe('workspace manager (real git)', () => {
  let tmp: string;
  let repo: string;
  let shas: string[];
  let manager: WorkspaceManager;
  let dataDir: string;

  before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'tracefix-ws-'));
    repo = path.join(tmp, 'origin');
    dataDir = path.join(tmp, 'data');
    shas = await makeRepo(repo, [
      { 'src/app.js': 'export const version = 1;\n', 'README.md': 'v1\n' },
      { 'src/app.js': 'export const version = 2;\n' },
      { 'src/app.js': 'export const version = 3;\n', 'src/new.js': 'export {};\n' },
    ]);
    manager = createWorkspaceManager({ dataDir });
  });
  after(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('checks out an older commit with its older content', async () => {
    const ws = await manager.create({ runId: 'run-old', repo: { url: repo }, commit: shas[0]! });
    assert.equal(ws.commit, shas[0]);
    assert.equal(ws.dir, path.join(dataDir, 'workspaces', 'run-old'));
    assert.equal(await readFile(path.join(ws.dir, 'src/app.js'), 'utf8'), 'export const version = 1;\n');
    assert.equal(existsSync(path.join(ws.dir, 'src/new.js')), false);
    await manager.remove(ws);
  });

  it('accepts a short sha and resolves it to the full one', async () => {
    const ws = await manager.create({ runId: 'run-short', repo: { url: repo }, commit: shas[1]!.slice(0, 8) });
    assert.equal(ws.commit, shas[1]);
    await manager.remove(ws);
  });

  it('falls back to the default branch head without a commit', async () => {
    const ws = await manager.create({ runId: 'run-head', repo: { url: repo } });
    assert.equal(ws.commit, shas[2]);
    assert.equal(await readFile(path.join(ws.dir, 'src/app.js'), 'utf8'), 'export const version = 3;\n');
    await manager.remove(ws);
  });

  it('fails clearly on an unknown commit', async () => {
    await assert.rejects(
      manager.create({ runId: 'run-unknown', repo: { url: repo }, commit: 'deadbeef'.repeat(5) }),
      (err: unknown) => err instanceof WorkspaceError && /Commit deadbeef.* is not in /.test(err.message),
    );
    await assert.rejects(manager.create({ runId: 'run-bad', repo: { url: repo }, commit: '--upload-pack=x' }), /Invalid commit/);
    await assert.rejects(manager.create({ runId: '../escape', repo: { url: repo } }), /Invalid run id/);
  });

  it('fetches new commits on use', async () => {
    const newer = await commit(repo, { 'src/app.js': 'export const version = 4;\n' }, 'commit 4');
    const ws = await manager.create({ runId: 'run-newer', repo: { url: repo } });
    assert.equal(ws.commit, newer);
    const pinned = await manager.create({ runId: 'run-pinned', repo: { url: repo }, commit: newer });
    assert.equal(pinned.commit, newer);
    await manager.remove(ws);
    await manager.remove(pinned);
  });

  it('keeps the mirror outside the workspace; .git is a file naming the mirror', async () => {
    const ws = await manager.create({ runId: 'run-layout', repo: { url: repo }, commit: shas[0]! });
    assert.ok(lstatSync(path.join(ws.dir, '.git')).isFile());
    assert.ok(ws.mirrorDir.startsWith(path.join(dataDir, 'mirrors') + path.sep));
    assert.ok(!ws.mirrorDir.startsWith(ws.dir));
    assert.ok(ws.gitDir.startsWith(ws.mirrorDir + path.sep));
    assert.match(await readFile(path.join(ws.dir, '.git'), 'utf8'), new RegExp(`gitdir: ${ws.gitDir}`));
    await manager.remove(ws);
  });

  it('diffs edits, deletions and new untracked files, but not run artifacts', async () => {
    const ws = await manager.create({ runId: 'run-diff', repo: { url: repo }, commit: shas[2]! });
    await writeFile(path.join(ws.dir, 'src/app.js'), 'export const version = 30;\n');
    await rm(path.join(ws.dir, 'README.md'));
    await writeFile(path.join(ws.dir, 'src/added.js'), 'export const added = true;\n');
    await mkdir(path.join(ws.dir, 'node_modules/dep'), { recursive: true });
    await writeFile(path.join(ws.dir, 'node_modules/dep/index.js'), 'x\n');
    await mkdir(path.join(ws.dir, 'src/__pycache__'), { recursive: true });
    await writeFile(path.join(ws.dir, 'src/__pycache__/app.cpython-311.pyc'), 'x');

    const diff = await manager.diff(ws);
    assert.match(diff, /diff --git a\/src\/app\.js b\/src\/app\.js[\s\S]*-export const version = 3;\n\+export const version = 30;/);
    assert.match(diff, /diff --git a\/README\.md b\/README\.md\ndeleted file mode/);
    assert.match(diff, /diff --git a\/src\/added\.js b\/src\/added\.js\nnew file mode[\s\S]*\+export const added = true;/);
    assert.doesNotMatch(diff, /node_modules|__pycache__/);
    // The worktree's own index is untouched: the new file is still untracked.
    assert.match(await gitIn(ws.dir, 'status', '--porcelain'), /\?\? src\/added\.js/);
    assert.equal(await manager.diff(ws), diff);
    await manager.remove(ws);
  });

  it('lists the files tracked at the commit', async () => {
    const ws = await manager.create({ runId: 'run-files', repo: { url: repo }, commit: shas[0]! });
    assert.deepEqual((await manager.listFiles(ws)).sort(), ['README.md', 'src/app.js']);
    await manager.remove(ws);
  });

  it('removes worktrees idempotently, by record or by run id', async () => {
    const ws = await manager.create({ runId: 'run-rm', repo: { url: repo }, commit: shas[0]! });
    await writeFile(path.join(ws.dir, 'scratch.txt'), 'left behind by a test run\n');
    await manager.remove(ws);
    assert.equal(existsSync(ws.dir), false);
    assert.doesNotMatch(await gitIn(ws.mirrorDir, 'worktree', 'list'), /run-rm/);
    await manager.remove(ws);
    const again = await manager.create({ runId: 'run-rm', repo: { url: repo }, commit: shas[1]! });
    await manager.remove('run-rm');
    assert.equal(existsSync(again.dir), false);
    assert.doesNotMatch(await gitIn(ws.mirrorDir, 'worktree', 'list'), /run-rm/);
    await manager.remove('never-created');
  });

  it('recreates a workspace left behind by a crashed run', async () => {
    const first = await manager.create({ runId: 'run-retry', repo: { url: repo }, commit: shas[0]! });
    await writeFile(path.join(first.dir, 'src/app.js'), 'dirty\n');
    const second = await manager.create({ runId: 'run-retry', repo: { url: repo }, commit: shas[1]! });
    assert.equal(await readFile(path.join(second.dir, 'src/app.js'), 'utf8'), 'export const version = 2;\n');
    await manager.remove(second);
  });

  it('serializes concurrent runs on one mirror', async () => {
    const made = await Promise.all(
      [0, 1, 2].map((i) => manager.create({ runId: `run-par-${i}`, repo: { url: repo }, commit: shas[i]! })),
    );
    assert.deepEqual(made.map((w) => w.commit), shas.slice(0, 3));
    assert.equal(new Set(made.map((w) => w.mirrorDir)).size, 1);
    await Promise.all(made.map((w) => manager.remove(w)));
  });
});
