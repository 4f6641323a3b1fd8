// A moved base: when the base branch's head is no longer the incident's commit, publish() re-runs
// the validation there in a real sandbox (local driver) before anything is pushed: published when
// the fix still holds, refused with the reason when the patch no longer applies or the
// reproduction no longer fails without it (someone fixed it differently upstream).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../../src/config.ts';
import { GithubClients } from '../../../src/publish/github-client.ts';
import { publish } from '../../../src/publish/publish.ts';
import { sandboxRevalidation } from '../../../src/publish/revalidate.ts';
import { readRunOutputs } from '../../../src/publish/run-outputs.ts';
import { startFakeGithub, type FakeGithub } from '../../helpers/fake-github.ts';
import { gitIn } from '../../helpers/git-repo.ts';
import { publishFixture, type PublishFixture } from '../../helpers/publish-fixture.ts';
import { bwrapUnavailable } from '../../helpers/sandbox-probes.ts';

const TOKEN = `ghp_${randomBytes(16).toString('hex')}`;
const REPO = 'acme/shop-api';

async function movedBase(edit: Record<string, string>): Promise<{ fixture: PublishFixture; gh: FakeGithub; head: string }> {
  const fixture = await publishFixture({ incidentId: `inc_moved${randomBytes(8).toString('hex')}` });
  const gh = await startFakeGithub({ token: TOKEN });
  await gh.state.importRepo(REPO, fixture.repoDir);
  for (const [file, content] of Object.entries(edit)) await writeFile(path.join(fixture.repoDir, file), content);
  await gitIn(fixture.repoDir, 'commit', '-qam', 'upstream change');
  await gh.state.pushFrom(REPO, fixture.repoDir);
  return { fixture, gh, head: await gitIn(fixture.repoDir, 'rev-parse', 'HEAD') };
}

async function publishMoved(fixture: PublishFixture, gh: FakeGithub) {
  const outputs = await readRunOutputs(fixture.runDir);
  const config = loadConfig({ TRACEFIX_DATA_DIR: path.join(fixture.dir, 'data'), TRACEFIX_SANDBOX_DRIVER: 'local' });
  const clients = new GithubClients({ apiUrl: gh.url, credentials: { kind: 'token', token: TOKEN } });
  return publish({ clients, repo: REPO, ...outputs, mode: 'draft', revalidate: sandboxRevalidation({ config, repo: { url: fixture.repoDir }, run: outputs.run, diff: outputs.diff }) });
}

describe('publish on a moved base', { skip: bwrapUnavailable() }, () => {
  const cleanups: (() => Promise<void>)[] = [];
  after(async () => {
    for (const c of cleanups) await c();
  });
  let cart: string;
  before(async () => {
    const f = await publishFixture();
    cart = await import('node:fs/promises').then((fs) => fs.readFile(path.join(f.repoDir, 'src/cart.js'), 'utf8'));
    await f.close();
  });

  it('re-validates the fix on the new head and publishes it there', async () => {
    const { fixture, gh, head } = await movedBase({ 'src/cart.js': `${cart}\n// Rounding reviewed for the 1.5 release.\n` });
    cleanups.push(fixture.close, gh.close);
    const result = await publishMoved(fixture, gh);
    assert.equal(result.status, 'published', JSON.stringify(result));
    if (result.status !== 'published') return;
    assert.equal(result.revalidated, true);
    assert.equal(result.baseSha, head);
    const commit = gh.state.git.readCommit(gh.state.mustRepo(REPO).branches.get(result.branch)!)!;
    assert.deepEqual(commit.parents, [head]);
    const pull = [...gh.state.mustRepo(REPO).pulls.values()][0]!;
    assert.match(pull.body, /re-validated on `main` at `[0-9a-f]{12}`/);
    assert.deepEqual(gh.violations, []);
  });

  it('refuses when the reproduction no longer fails without the patch: no branch, no PR', async () => {
    const coupons = "'use strict';\n\nconst COUPONS = {\n  SAVE10: { rate: 0.1 },\n  HALF: { rate: 0.5 },\n};\n\nfunction findCoupon(code) {\n  return COUPONS[code.toUpperCase()] ?? { rate: 0 };\n}\n\nmodule.exports = { findCoupon };\n";
    const { fixture, gh } = await movedBase({ 'src/coupons.js': coupons });
    cleanups.push(fixture.close, gh.close);
    const result = await publishMoved(fixture, gh);
    assert.equal(result.status, 'not-published', JSON.stringify(result));
    if (result.status !== 'not-published') return;
    assert.equal(result.state, 'stale');
    assert.match(result.reason, /no longer validates on main .*(sensitivity|without the patch|passed)/i);
    assert.equal(gh.state.mustRepo(REPO).branches.has(`tracefix/${fixture.run.incident.id}`), false);
    assert.equal(gh.state.mustRepo(REPO).pulls.size, 0);
    assert.equal(gh.requests.filter((r) => r.method !== 'GET').length, 0, 'nothing was written to GitHub');
  });

  it('refuses when the patch no longer applies on the new head', async () => {
    const { fixture, gh } = await movedBase({ 'src/cart.js': cart.replace('  const coupon = findCoupon(code);\n  return total - total * coupon.rate;', '  const c = findCoupon(code);\n  return total * (1 - c.rate);') });
    cleanups.push(fixture.close, gh.close);
    const result = await publishMoved(fixture, gh);
    assert.equal(result.status, 'not-published');
    if (result.status !== 'not-published') return;
    assert.match(result.reason, /the patch does not apply/);
    assert.equal(gh.state.mustRepo(REPO).pulls.size, 0);
  });
});
