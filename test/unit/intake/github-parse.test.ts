// GitHub deliveries → IntakeOutcome, on octokit's example payloads.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readIssueBody } from '../../../src/intake/github/issue-body.ts';
import { parseGithubDelivery } from '../../../src/intake/github/parse-delivery.ts';
import { delivery, expectAlert, expectBadPayload, expectIgnored, fixture, fixtureJson } from './support.ts';

const DELIVERY_ID = '72d3162e-cc78-11e3-81ab-4c9367dc0958';
const gh = (event: string) => ({ 'x-github-event': event, 'x-github-delivery': DELIVERY_ID, 'content-type': 'application/json' });

const BUG_BODY = `Checkout fails for carts with a removed product.

- **Trace ID:** \`4BF92F3577B34DA6A3CE929D0E0E4736\`
- release: checkout@1.4.2
- commit: 2f6b1c9e
- environment: production

\`\`\`
TypeError: Cannot read properties of undefined (reading 'price')
    at lineTotal (/app/src/cart/total.js:14:32)
    at Array.map (<anonymous>)
    at cartTotal (/app/src/cart/total.js:22:25)
    at checkout (/app/src/routes/checkout.js:51:19)
\`\`\`

Happens since yesterday's deploy.`;

function labeledIssue(label: string, body: string | null, title = 'Checkout crashes on removed product') {
  const payload = fixtureJson<Record<string, any>>('github/issues-labeled.json');
  return { ...payload, label: { ...payload.label, name: label }, issue: { ...payload.issue, title, body } };
}

describe('parseGithubDelivery: octokit example payloads', () => {
  it('issues.labeled with the configured label → alert from the issue (no stack in it)', () => {
    const alert = expectAlert(parseGithubDelivery(delivery(fixture('github/issues-labeled.json'), gh('issues')), { label: 'bug' }));
    assert.equal(alert.source, 'github');
    assert.equal(alert.deliveryId, DELIVERY_ID);
    assert.equal(alert.kind, 'issues.labeled');
    assert.equal(alert.title, 'Spelling error in the README file');
    assert.equal(alert.errorType, 'Error');
    assert.equal(alert.message, 'Spelling error in the README file');
    assert.deepEqual(alert.frames, []);
    assert.equal(alert.repoHint, 'Codertocat/Hello-World');
    assert.equal(alert.link, 'https://github.com/Codertocat/Hello-World/issues/1');
    assert.deepEqual(alert.sourceRefs, { issue_number: '1', repo: 'Codertocat/Hello-World', sender: 'Codertocat' });
    assert.equal(alert.traceId, undefined);
  });

  it('the same payload with the default label configured is ignored (label mismatch)', () => {
    const ignored = expectIgnored(parseGithubDelivery(delivery(fixture('github/issues-labeled.json'), gh('issues')), { label: 'tracefix' }));
    assert.equal(ignored.event, 'issues.labeled');
    assert.match(ignored.reason, /label "bug" is not "tracefix"/);
  });

  it('issues.labeled from an organization repo', () => {
    const alert = expectAlert(parseGithubDelivery(delivery(fixture('github/issues-labeled-with-organization.json'), gh('issues')), { label: 'BUG' }));
    assert.equal(alert.repoHint, 'Codertocat/Hello-World');
    assert.equal(alert.sourceRefs.issue_number, '1');
  });

  it('workflow_run, workflow_job and check_run events are ignored with a reason', () => {
    for (const [file, event] of [
      ['github/workflow_run-completed-success.json', 'workflow_run'],
      ['github/workflow_run-completed-with-pull-requests.json', 'workflow_run'],
      ['github/workflow_job-completed-failure.json', 'workflow_job'],
      ['github/check_run-completed-failure.json', 'check_run'],
      ['github/check_run-completed-success.json', 'check_run'],
    ] as const) {
      const ignored = expectIgnored(parseGithubDelivery(delivery(fixture(file), gh(event)), { label: 'tracefix' }));
      assert.equal(ignored.event, `${event}.completed`, file);
      assert.equal(ignored.deliveryId, DELIVERY_ID);
    }
  });

  it('ping is ignored (the route answers 200)', () => {
    const ping = { zen: 'Keep it logically awesome.', hook_id: 30, hook: { type: 'Repository', events: ['issues'] } };
    const ignored = expectIgnored(parseGithubDelivery(delivery(ping, gh('ping')), { label: 'tracefix' }));
    assert.equal(ignored.event, 'ping');
  });
});

describe('parseGithubDelivery: a bug report with evidence', () => {
  it('reads trace id, release, commit, environment and the fenced stack', () => {
    const alert = expectAlert(parseGithubDelivery(delivery(labeledIssue('tracefix', BUG_BODY), gh('issues')), { label: 'tracefix' }));
    assert.equal(alert.errorType, 'TypeError');
    assert.equal(alert.message, "Cannot read properties of undefined (reading 'price')");
    assert.equal(alert.title, 'Checkout crashes on removed product');
    assert.equal(alert.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.equal(alert.release, 'checkout@1.4.2');
    assert.equal(alert.commitSha, '2f6b1c9e');
    assert.equal(alert.environment, 'production');
    assert.equal(alert.frames.length, 4);
    assert.deepEqual(alert.frames.at(-1), { function: 'lineTotal', file: '/app/src/cart/total.js', absPath: '/app/src/cart/total.js', line: 14, column: 32, inApp: true });
    assert.match(alert.exceptions.at(-1)?.rawStack ?? '', /^TypeError/);
  });

  it('an unfenced Python traceback, a traceparent line, and the error type from the title when the stack has none', () => {
    const body = 'traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\n\nTraceback (most recent call last):\n  File "/srv/app/jobs.py", line 9, in run\n    total = sum(x.amount for x in rows)\nAttributeError: \'NoneType\' object has no attribute \'amount\'\n';
    const alert = expectAlert(parseGithubDelivery(delivery(labeledIssue('tracefix', body), gh('issues')), { label: 'tracefix' }));
    assert.equal(alert.traceId, '0af7651916cd43dd8448eb211c80319c');
    assert.equal(alert.spanId, 'b7ad6b7169203331');
    assert.equal(alert.errorType, 'AttributeError');
    assert.equal(alert.frames.at(-1)?.function, 'run');
    const bare = '```\n    at handler (/app/src/h.js:3:9)\n```';
    const titled = expectAlert(parseGithubDelivery(delivery(labeledIssue('tracefix', bare, 'RangeError: Invalid array length'), gh('issues')), { label: 'tracefix' }));
    assert.equal(titled.errorType, 'RangeError');
    assert.equal(titled.message, 'Invalid array length');
    assert.equal(titled.frames.at(-1)?.function, 'handler');
  });

  it('other actions, other labels and closed issues are ignored; a null body is fine', () => {
    const opened = { ...labeledIssue('tracefix', BUG_BODY), action: 'opened' };
    assert.match(expectIgnored(parseGithubDelivery(delivery(opened, gh('issues')), { label: 'tracefix' })).reason, /only "labeled"/);
    const closed = labeledIssue('tracefix', BUG_BODY);
    closed.issue.state = 'closed';
    expectIgnored(parseGithubDelivery(delivery(closed, gh('issues')), { label: 'tracefix' }));
    const empty = expectAlert(parseGithubDelivery(delivery(labeledIssue('tracefix', null), gh('issues')), { label: 'tracefix' }));
    assert.equal(empty.message, 'Checkout crashes on removed product');
  });

  it('bad input: no event header, malformed JSON, an issues.labeled body without issue', () => {
    expectBadPayload(() => parseGithubDelivery(delivery('{}', {}), { label: 'tracefix' }));
    expectBadPayload(() => parseGithubDelivery(delivery('{"action":', gh('issues')), { label: 'tracefix' }));
    const details = expectBadPayload(() => parseGithubDelivery(delivery({ action: 'labeled', label: { name: 'tracefix' }, repository: { full_name: 'a/b' } }, gh('issues')), { label: 'tracefix' }));
    assert.deepEqual(details.map((d) => d.path), ['issue']);
  });

  it('without X-GitHub-Delivery the id is a digest of the body', () => {
    const alert = expectAlert(parseGithubDelivery(delivery(fixture('github/issues-labeled.json'), { 'x-github-event': 'issues' }), { label: 'bug' }));
    assert.match(alert.deliveryId, /^sha256:[0-9a-f]{64}$/);
  });
});

describe('readIssueBody', () => {
  it('ignores a trace id that is not 32 hex and a release that is not a commit', () => {
    const facts = readIssueBody('trace_id: 1234\nrelease: v2.0.0\n');
    assert.equal(facts.traceId, undefined);
    assert.equal(facts.release, 'v2.0.0');
    assert.equal(facts.commitSha, undefined);
    assert.deepEqual(facts.exceptions, []);
  });
});

describe('readIssueBody on hostile input', () => {
  it('a body full of unclosed fences of the other kind is read in linear time', () => {
    const started = performance.now();
    const facts = readIssueBody(`\`\`\`\n${'~~~\n'.repeat(16_000)}`);
    assert.deepEqual(facts.exceptions, []);
    assert.ok(performance.now() - started < 2000, `took ${performance.now() - started} ms`);
  });
});
