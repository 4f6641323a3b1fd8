// containsCommit (the recurrence watch's "does this release contain the fix") against a real
// origin and mirror: a release built after the mirror's last fetch is fetched, not reported as
// unknown; a short sha is resolved; a commit the origin never had is undefined (not "no"), and a
// malformed one is refused without running git on it.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { containsCommit } from '../../../src/workspace/ancestry.ts';
import { commit, gitIn, makeRepo } from '../../helpers/git-repo.ts';

let tmp: string;
let origin: string;
let dataDir: string;
before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'tracefix-ancestry-'));
  await chmod(tmp, 0o711);
  origin = path.join(tmp, 'origin');
  dataDir = path.join(tmp, 'data');
});
after(() => rm(tmp, { recursive: true, force: true }));

test('a commit the mirror does not have yet is fetched before it is classified', async () => {
  const [base, fix] = (await makeRepo(origin, [{ 'a.js': 'a\n' }, { 'a.js': 'fixed\n' }])) as [string, string];
  const ask = (ancestor: string, c: string) => containsCommit({ dataDir, repo: { url: origin }, ancestor, commit: c });
  // The mirror is cloned here, with the fix and the commit before it.
  assert.equal(await ask(fix, base), false, 'a release from before the fix');
  assert.equal(await ask(fix, fix), true);

  // A release built after the mirror's clone: unknown to the mirror until it fetches.
  const release = await commit(origin, { 'b.js': 'b\n' }, 'release 1.1');
  assert.equal(await ask(fix, release), true, 'fetched, then it contains the fix');
  assert.equal(await ask(fix, release.slice(0, 12)), true, 'a short sha (a release name suffix) too');

  // A branch that never merged the fix, pushed after the clone.
  await gitIn(origin, 'checkout', '-q', '-b', 'old-line', base);
  const hotfix = await commit(origin, { 'c.js': 'c\n' }, 'hotfix on the old line');
  await gitIn(origin, 'checkout', '-q', 'main');
  assert.equal(await ask(fix, hotfix), false);

  assert.equal(await ask(fix, 'f'.repeat(40)), undefined, 'not in the origin even after a fetch');
  assert.equal(await ask(fix, '--upload-pack=touch /tmp/x'), undefined, 'an option-like commit is refused, not run');
});
