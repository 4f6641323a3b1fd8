// `tracefix publish` as a person runs it against the GitHub protocol fake: the PR's URL and exit 0,
// the same PR updated by a second call, exit 1 with the reason when not published (a PR the team
// closed stays closed... unless this very command, a person's request, reopens it; a missing
// permission), exit 2 for bad input. The token is in none of the output.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.ts';
import { startFakeGithub, type FakeGithub } from '../helpers/fake-github.ts';
import { publishFixture, type PublishFixture } from '../helpers/publish-fixture.ts';

const TOKEN = `ghp_${randomBytes(16).toString('hex')}`;
const REPO = 'acme/shop-api';
let fixture: PublishFixture;
let gh: FakeGithub;
let env: Record<string, string>;

before(async () => {
  fixture = await publishFixture();
  gh = await startFakeGithub({ token: TOKEN, tokenPermissions: {} });
  await gh.state.importRepo(REPO, fixture.repoDir);
  env = { TRACEFIX_GITHUB_TOKEN: TOKEN, TRACEFIX_GITHUB_API_URL: gh.url, TRACEFIX_DATA_DIR: path.join(fixture.dir, 'data'), TRACEFIX_GITHUB_PR_LABELS: 'tracefix,automated' };
});
after(async () => {
  await gh.close();
  await fixture.close();
});

describe('tracefix publish', () => {
  it('opens a draft PR and prints its URL; a second call updates the same PR', async () => {
    const first = await runCli(['publish', '--run', fixture.runDir, '--repo', REPO], env, 120_000);
    assert.equal(first.code, 0, first.output);
    const url = `http://127.0.0.1:${new URL(gh.url).port}/${REPO}/pull/1`;
    assert.ok(first.output.includes(`${url}\n`), first.output);
    assert.match(first.output, /created draft PR #1 from tracefix\/\S+ into main/);
    const second = await runCli(['publish', '--run', fixture.runDir, '--repo', REPO, '--ready'], env, 120_000);
    assert.equal(second.code, 0, second.output);
    assert.match(second.output, /updated .*PR #1/);
    const pulls = [...gh.state.mustRepo(REPO).pulls.values()];
    assert.equal(pulls.length, 1);
    assert.deepEqual(pulls[0]!.labels, ['tracefix', 'automated']);
    assert.ok(!first.output.includes(TOKEN) && !second.output.includes(TOKEN));
    assert.deepEqual(gh.violations, []);
  });

  it('exits 2 for bad input, naming the problem', async () => {
    const cases: [string[], RegExp][] = [
      [['publish', '--run', fixture.runDir], /missing --repo/],
      [['publish', '--run', fixture.runDir, '--repo', 'not-a-repo'], /not a GitHub repository name/],
      [['publish', '--run', path.join(fixture.dir, 'nope'), '--repo', REPO], /result\.json is missing/],
      [['publish', '--run', fixture.runDir, '--repo', REPO, '--base', 'no such'], /is not a branch name/],
      [['publish', '--run', fixture.runDir, '--repo', REPO, '--base', 'release-9'], /the base branch release-9 does not exist/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args, env, 120_000);
      assert.equal(result.code, 2, `${args.join(' ')}\n${result.output}`);
      assert.match(result.output, message);
    }
    const noToken = await runCli(['publish', '--run', fixture.runDir, '--repo', REPO], { TRACEFIX_DATA_DIR: env.TRACEFIX_DATA_DIR! });
    assert.equal(noToken.code, 2);
    assert.match(noToken.output, /set TRACEFIX_GITHUB_TOKEN/);
  });

  it('exits 1 with the reason when the repository cannot be reached with this token', async () => {
    const result = await runCli(['publish', '--run', fixture.runDir, '--repo', 'acme/elsewhere'], env, 120_000);
    assert.equal(result.code, 1, result.output);
    assert.match(result.output, /not published: cannot read the repository on acme\/elsewhere: GitHub answered 404/);
    assert.ok(!result.output.includes(TOKEN));
  });

  it('exits 1 when the repository turned publishing off', async () => {
    const f = await publishFixture({ incidentId: 'inc_off000000000000000000000' });
    const fake = await startFakeGithub({ token: TOKEN });
    try {
      await fake.state.importRepo(REPO, f.repoDir);
      fake.state.commitFiles(REPO, 'main', { '.tracefix.yml': 'publish: off\n' });
      const result = await runCli(['publish', '--run', f.runDir, '--repo', REPO], { ...env, TRACEFIX_GITHUB_API_URL: fake.url }, 120_000);
      assert.equal(result.code, 1, result.output);
      assert.match(result.output, /not published: publishing is off \(\.tracefix\.yml sets publish: off\)/);
      assert.equal(fake.state.mustRepo(REPO).pulls.size, 0);
    } finally {
      await fake.close();
      await f.close();
    }
  });
});
