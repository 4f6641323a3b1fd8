// The fetch runs as an unprivileged uid: a data dir it cannot traverse is named up front instead of
// surfacing as the package manager's EACCES.
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { unreachableAncestor } from '../../../src/install/fetch-process.ts';

test('names the first directory the fetch user cannot search, and none when the path is open', async (t) => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'tracefix-reach-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const { uid, gid } = await stat(root);
  const stranger = { uid: uid + 54_321, gid: gid + 54_321 };
  const deep = path.join(root, 'data', 'deps', '.tmp-x');
  await mkdir(deep, { recursive: true });
  await chmod(root, 0o700);
  assert.equal(await unreachableAncestor(deep, stranger), root);
  assert.equal(await unreachableAncestor(deep, { uid, gid }), undefined, 'the owner may search its own 0700 directory');
  await chmod(root, 0o711);
  await chmod(path.join(root, 'data'), 0o750);
  assert.equal(await unreachableAncestor(deep, stranger), path.join(root, 'data'));
  assert.equal(await unreachableAncestor(deep, { uid: stranger.uid, gid }), undefined, 'group search suffices for a member');
  await chmod(path.join(root, 'data'), 0o711);
  assert.equal(await unreachableAncestor(deep, stranger), undefined);
});
