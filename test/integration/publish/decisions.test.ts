// POST /api/runs/:id/approve and /reject record who decided and when on the run's publication (and
// an approval puts the publish job in the outbox in the same transaction); the `pull_request`
// closed webhook records a merge with its merge commit, or a close without merging.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createRun, finishRun } from '../../../src/store/run-store.ts';
import { recordPublication } from '../../../src/store/publication-store.ts';
import { getFixMerge } from '../../../src/store/fix-merge-store.ts';
import { buildTestApp, dashboardAuthHeaders, githubHeaders, sentryHeaders, type TestApp } from '../../helpers/app.ts';
import { publishFixture, type PublishFixture } from '../../helpers/publish-fixture.ts';

let t: TestApp;
let fixture: PublishFixture;
let incidentId: string;
const RUN = 'run-abc-12345678';
const RUN2 = 'run-abc-0000beef';

before(async () => {
  t = await buildTestApp();
  fixture = await publishFixture();
  const body = await readFile(path.resolve(import.meta.dirname, '../../fixtures/repro-repos/js-cart/incident.sentry.json'));
  const res = await t.app.inject({ method: 'POST', url: '/webhooks/sentry', payload: body, headers: sentryHeaders(body, 'event_alert', randomBytes(8).toString('hex')) });
  incidentId = (res.json() as { incidentId: string }).incidentId;
  for (const id of [RUN, RUN2]) {
    await createRun(t.testDb.db, { id, incidentId, bundleSha256: null });
    await finishRun(t.testDb.db, { ...fixture.run, id, incident: { ...fixture.run.incident, id: incidentId } });
  }
});
after(async () => {
  await t.close();
  await fixture.close();
});

const post = (url: string, payload?: unknown) => t.app.inject({ method: 'POST', url, headers: { ...dashboardAuthHeaders(), ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}) });

describe('approve and reject', () => {
  it('rejects bad requests with a clear error, never a 500', async () => {
    assert.equal((await post(`/api/runs/${RUN}/approve`, {})).statusCode, 400);
    assert.equal((await post('/api/runs/nope/approve', { by: 'alice' })).statusCode, 400);
    assert.equal((await post('/api/runs/run-abc-ffffffff/approve', { by: 'alice' })).statusCode, 404);
    const noReason = await post(`/api/runs/${RUN}/reject`, { by: 'alice' });
    assert.equal(noReason.statusCode, 400);
    const notJson = await t.app.inject({ method: 'POST', url: `/api/runs/${RUN}/approve`, payload: '{', headers: { ...dashboardAuthHeaders(), 'content-type': 'application/json' } });
    assert.equal(notJson.statusCode, 400);
  });

  it('an approval records who and when, and queues the publish job with it', async () => {
    const res = await post(`/api/runs/${RUN}/approve`, { by: 'alice@acme.example' });
    assert.equal(res.statusCode, 200, res.body);
    const p = res.json() as { state: string; approvedBy: string; approvedAt: string };
    assert.equal(p.state, 'approved');
    assert.equal(p.approvedBy, 'alice@acme.example');
    assert.ok(Date.now() - Date.parse(p.approvedAt) < 60_000);
    const rows = await t.testDb.db.query<{ queue: string; job_id: string; payload: unknown }>("select queue, job_id, payload from outbox where queue = 'publish'");
    assert.deepEqual(rows.map((r) => [r.queue, r.job_id]), [['publish', `${RUN}-approved`]]);
    const got = await t.app.inject({ method: 'GET', url: `/api/runs/${RUN}/publication`, headers: dashboardAuthHeaders() });
    assert.equal((got.json() as { approvedBy: string }).approvedBy, 'alice@acme.example');
  });

  it('a rejection records who, when and why', async () => {
    const res = await post(`/api/runs/${RUN2}/reject`, { by: 'bob', reason: 'the guard hides a data problem upstream' });
    assert.equal(res.statusCode, 200, res.body);
    const p = res.json() as { state: string; rejectedBy: string; rejectedAt: string; rejectReason: string };
    assert.deepEqual([p.state, p.rejectedBy, p.rejectReason], ['rejected-by-reviewer', 'bob', 'the guard hides a data problem upstream']);
    assert.ok(p.rejectedAt);
  });

  it('a published run can no longer be approved or rejected', async () => {
    await recordPublication(t.testDb.db, RUN, incidentId, { state: 'published', repo: 'acme/shop-api', prNumber: 7, prUrl: 'https://github.com/acme/shop-api/pull/7', branch: `tracefix/${incidentId}` });
    assert.equal((await post(`/api/runs/${RUN}/approve`, { by: 'carol' })).statusCode, 409);
  });
});

describe('pull_request closed webhook', () => {
  const deliver = (payload: unknown) => {
    const body = Buffer.from(JSON.stringify(payload));
    return t.app.inject({ method: 'POST', url: '/webhooks/github', payload: body, headers: githubHeaders(body, 'pull_request', randomBytes(8).toString('hex')) });
  };
  const closed = (number: number, merged: boolean, ref = `tracefix/${incidentId}`) => ({
    action: 'closed',
    number,
    pull_request: { number, merged, merge_commit_sha: merged ? 'a'.repeat(40) : null, head: { ref } },
    repository: { full_name: 'Acme/Shop-API' },
  });

  it('ignores PRs that are not tracefix\'s', async () => {
    assert.equal((await deliver(closed(7, true, 'feature/x'))).statusCode, 200);
    const p = (await t.app.inject({ method: 'GET', url: `/api/runs/${RUN}/publication`, headers: dashboardAuthHeaders() })).json() as { state: string };
    assert.equal(p.state, 'published');
  });

  it('records a close without merging, then a merge with its merge commit', async () => {
    assert.equal((await deliver(closed(7, false))).statusCode, 200);
    let p = (await t.app.inject({ method: 'GET', url: `/api/runs/${RUN}/publication`, headers: dashboardAuthHeaders() })).json() as { state: string; mergeCommitSha: string | null; closedAt: string };
    assert.deepEqual([p.state, p.mergeCommitSha], ['closed-unmerged', null]);
    assert.ok(p.closedAt);
    assert.equal((await deliver(closed(7, true))).statusCode, 200);
    p = (await t.app.inject({ method: 'GET', url: `/api/runs/${RUN}/publication`, headers: dashboardAuthHeaders() })).json() as typeof p;
    assert.deepEqual([p.state, p.mergeCommitSha], ['merged', 'a'.repeat(40)]);
    // The merge starts the recurrence watch: the incident is `merged`, its fix commit recorded.
    const incident = (await t.app.inject({ method: 'GET', url: `/api/incidents/${incidentId}`, headers: dashboardAuthHeaders() })).json() as { status: string };
    assert.equal(incident.status, 'merged');
    assert.equal((await getFixMerge(t.testDb.db, incidentId))?.mergeSha, 'a'.repeat(40));
  });
});
