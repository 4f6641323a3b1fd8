import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toActionContext, ActionEnv } from '../../../schemas/action.ts';
import { actionMode } from '../../../src/action/mode.ts';

const BASE = {
  GITHUB_EVENT_PATH: '/tmp/event.json',
  GITHUB_WORKSPACE: '/work/repo',
  GITHUB_REPOSITORY: 'acme/shop',
  GITHUB_SHA: 'a'.repeat(40),
  RUNNER_TEMP: '/tmp/runner',
};
const context = (env: Record<string, string>) => toActionContext(ActionEnv.parse({ ...BASE, ...env }));
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

test('an issue labelled with the configured label is the issue mode; other labels skip', () => {
  const labeled = { action: 'labeled', label: { name: 'TraceFix' }, issue: { number: 7 }, sender: { login: 'octo' } };
  const mode = actionMode(context({ GITHUB_EVENT_NAME: 'issues' }), json(labeled));
  assert.equal(mode.kind, 'issue');
  assert.equal(mode.kind === 'issue' && mode.issueNumber, 7);
  assert.equal(mode.kind === 'issue' && mode.sender, 'octo');

  const other = actionMode(context({ GITHUB_EVENT_NAME: 'issues' }), json({ ...labeled, label: { name: 'bug' } }));
  assert.deepEqual(other, { kind: 'skipped', reason: 'the label added is "bug", not "tracefix"' });
  const custom = actionMode(context({ GITHUB_EVENT_NAME: 'issues', INPUT_LABEL: 'autofix' }), json({ ...labeled, label: { name: 'autofix' } }));
  assert.equal(custom.kind, 'issue');
  const opened = actionMode(context({ GITHUB_EVENT_NAME: 'issues', 'INPUT_TEST-COMMAND': 'npm test' }), json({ ...labeled, action: 'opened' }));
  assert.equal(opened.kind, 'skipped', 'an issues event never runs the test command');
});

test('with a test command: a pull request gets a review, a fork gets the summary only, a push a branch PR', () => {
  const pr = (headRepo: string) => ({
    pull_request: { number: 12, head: { sha: 'b'.repeat(40), ref: 'feature', repo: { full_name: headRepo } }, base: { repo: { full_name: 'acme/shop' } } },
  });
  const env = { 'INPUT_TEST-COMMAND': 'npm test' };
  assert.deepEqual(actionMode(context({ ...env, GITHUB_EVENT_NAME: 'pull_request' }), json(pr('acme/shop'))), {
    kind: 'test',
    command: 'npm test',
    target: { kind: 'review', pullNumber: 12, headSha: 'b'.repeat(40), headRef: 'feature' },
  });
  assert.deepEqual(actionMode(context({ ...env, GITHUB_EVENT_NAME: 'pull_request' }), json(pr('someone/shop'))), {
    kind: 'test',
    command: 'npm test',
    target: { kind: 'fork', pullNumber: 12 },
  });
  assert.deepEqual(actionMode(context({ ...env, GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' }), json({ ref: 'refs/heads/main' })), {
    kind: 'test',
    command: 'npm test',
    target: { kind: 'branch', branch: 'main' },
  });
  const tag = actionMode(context({ ...env, GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/v1' }), json({}));
  assert.equal(tag.kind === 'test' && tag.target.kind, 'none');
});

test('no test command and no labelled issue: skipped, saying why', () => {
  assert.deepEqual(actionMode(context({ GITHUB_EVENT_NAME: 'push' }), json({})), { kind: 'skipped', reason: 'nothing to do on a push event without a test-command' });
  assert.equal(actionMode(context({ GITHUB_EVENT_NAME: 'push' }), Buffer.from('{nope')).kind, 'skipped');
});

test('inputs arrive as a runner hands them: INPUT_<NAME>, dashes kept, booleans and choices checked', () => {
  const c = context({ GITHUB_EVENT_NAME: 'push', 'INPUT_FAIL-ON-UNFIXED': 'TRUE', INPUT_ENGINE: 'templates', INPUT_PATH: 'services/api' });
  assert.equal(c.inputs.failOnUnfixed, true);
  assert.equal(c.inputs.engine, 'templates');
  assert.equal(c.workspace, '/work/repo/services/api');
  assert.equal(c.inputs.label, 'tracefix');
  assert.equal(c.inputs.publish, 'draft');
  const bad = ActionEnv.safeParse({ ...BASE, GITHUB_EVENT_NAME: 'push', INPUT_SANDBOX: 'vm' });
  assert.equal(bad.success, false);
  assert.deepEqual(bad.error?.issues.map((i) => i.path[0]), ['INPUT_SANDBOX']);
});
