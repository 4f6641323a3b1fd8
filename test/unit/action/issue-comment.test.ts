import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toActionContext, ActionEnv } from '../../../schemas/action.ts';
import { Run } from '../../../schemas/run.ts';
import { issueResultText } from '../../../src/action/issue-comment.ts';
import { REAL_RUN } from '../../helpers/dashboard-seed.ts';

const context = toActionContext(
  ActionEnv.parse({ GITHUB_EVENT_NAME: 'issues', GITHUB_EVENT_PATH: '/e.json', GITHUB_WORKSPACE: '/w', GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: 'a'.repeat(40), GITHUB_RUN_ID: '77', RUNNER_TEMP: '/t' }),
);

test('a run that validated nothing says so, with its reason made inert and a link to the workflow run', () => {
  const run = Run.parse({ ...structuredClone(REAL_RUN), status: 'not-fixed', proposal: null, reason: 'no candidate passed @octocat <img src=x> [click](http://evil)' });
  const text = issueResultText(run, context);
  assert.match(text, /^tracefix reproduced this failure but no fix validated \(8 candidates tried\): no candidate passed /);
  // No live mention, tag or link: GitHub would notify, render or link them.
  assert.doesNotMatch(text, /@octocat|<img|[^\\]\]\(http/, text);
  assert.ok(text.includes(`\`${run.incident.id}\``));
  assert.ok(text.includes('https://github.com/acme/shop/actions/runs/77'));
});

test('a fix that was not published says where it went instead', () => {
  const text = issueResultText(REAL_RUN, context, 'publishing is off (publish: off): the fix is in this summary and the artifacts');
  assert.match(text, /^tracefix found a validated fix for this issue but opened no pull request: publishing is off \(publish: off\)/);
});
