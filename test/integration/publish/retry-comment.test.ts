// `/tracefix retry` in a GitHub comment: on the issue an incident came from, a writer's comment
// queues a new run (engine as asked); a redelivery of the same comment does nothing more; a
// stranger's comment and an unrelated issue are recorded and ignored.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createRun } from '../../../src/store/run-store.ts';
import { retryIncident, runWasRequested } from '../../../src/store/retry-incident.ts';
import { buildTestApp, dashboardAuthHeaders, githubHeaders, SECRETS, type TestApp } from '../../helpers/app.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/github');
let t: TestApp;
const queued: string[] = [];

before(async () => {
  t = await buildTestApp({ ...SECRETS, TRACEFIX_GITHUB_LABEL: 'bug' }, { deps: { onJobQueued: (id) => queued.push(id) } });
});
after(() => t.close());

async function deliver(event: string, payload: unknown, delivery = randomBytes(8).toString('hex')) {
  const body = Buffer.from(JSON.stringify(payload));
  return t.app.inject({ method: 'POST', url: '/webhooks/github', payload: body, headers: githubHeaders(body, event, delivery) });
}

const comment = (body: string, login: string, issue = 1) => ({
  action: 'created',
  issue: { number: issue, title: 'x', state: 'open' },
  comment: { id: 1, body, user: { login } },
  repository: { full_name: 'Codertocat/Hello-World' },
  sender: { login },
});

async function retryJobs(incidentId: string): Promise<unknown[]> {
  const rows = await t.testDb.db.query<{ payload: unknown }>("select payload from outbox where queue = 'assemble' and job_id like $1", [`${incidentId}-r%`]);
  return rows.map((r) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload));
}

test('a writer\'s /tracefix retry on the incident\'s issue queues one new run, once per delivery', async () => {
  const labeled = JSON.parse(await readFile(path.join(FIXTURES, 'issues-labeled.json'), 'utf8'));
  const created = await deliver('issues', labeled);
  assert.equal(created.statusCode, 202, created.body);
  const incidentId = created.json().incidentId as string;
  // Its run ended without a fix: a person asks for another try with the templates.
  await t.testDb.db.query("update incidents set status = 'not-fixed' where id = $1", [incidentId]);

  const delivery = randomBytes(8).toString('hex');
  const first = await deliver('issue_comment', comment('Thanks!\n/tracefix retry --engine templates\n', 'Codertocat'), delivery);
  assert.equal(first.statusCode, 200, first.body);
  assert.deepEqual(await retryJobs(incidentId), [{ incidentId, engine: 'templates', requestedBy: 'github:Codertocat' }]);
  assert.deepEqual(queued, [incidentId], 'the dispatcher was nudged');
  const incident = (await t.app.inject({ url: `/api/incidents/${incidentId}`, headers: dashboardAuthHeaders() })).json() as { status: string };
  assert.equal(incident.status, 'queued');

  // GitHub redelivers the same comment: recorded as a duplicate, no second run.
  await t.testDb.db.query("update incidents set status = 'not-fixed' where id = $1", [incidentId]);
  assert.equal((await deliver('issue_comment', comment('/tracefix retry --engine templates', 'Codertocat'), delivery)).statusCode, 200);
  assert.equal((await retryJobs(incidentId)).length, 1);

  // Someone who may not write: ignored, and said so in the log.
  assert.equal((await deliver('issue_comment', comment('/tracefix retry', 'stranger'))).statusCode, 200);
  assert.equal((await retryJobs(incidentId)).length, 1);
  assert.ok(t.logs().some((l) => l.msg === 'GitHub retry comment ignored' && String(l.reason).includes('stranger may not write')));

  // Not a command, or another issue: nothing.
  assert.equal((await deliver('issue_comment', comment('please /tracefix retry soon', 'Codertocat'))).statusCode, 200);
  assert.equal((await deliver('issue_comment', comment('/tracefix retry', 'Codertocat', 99))).statusCode, 200);
  assert.equal((await retryJobs(incidentId)).length, 1);
  assert.ok(t.logs().some((l) => l.msg === 'GitHub retry comment ignored' && String(l.reason).includes('#99 is not a tracefix incident')));
});

test('a run started by a retry counts as a person\'s request (so a PR the team closed may be reopened); the run after it does not', async () => {
  const labeled = JSON.parse(await readFile(path.join(FIXTURES, 'issues-labeled.json'), 'utf8'));
  labeled.issue.number = 2;
  labeled.issue.title = 'TypeError: another one';
  const created = await deliver('issues', labeled);
  const incidentId = created.json().incidentId as string;
  const db = t.testDb.db;
  await createRun(db, { id: `run-a${randomBytes(4).toString('hex')}-00000001`, incidentId, bundleSha256: null });
  const [first] = await db.query<{ createdAt: string }>('select created_at as "createdAt" from runs where incident_id = $1', [incidentId]);
  assert.equal(await runWasRequested(db, incidentId, new Date(first!.createdAt).toISOString()), false, 'the first run came from the alert');

  await db.query("update incidents set status = 'not-fixed' where id = $1", [incidentId]);
  await retryIncident(db, t.config, incidentId, { requestedBy: 'github:Codertocat' });
  await new Promise((r) => setTimeout(r, 20));
  const requested = `run-b${randomBytes(4).toString('hex')}-00000002`;
  await createRun(db, { id: requested, incidentId, bundleSha256: null });
  const at = async (id: string) => new Date((await db.query<{ createdAt: string }>('select created_at as "createdAt" from runs where id = $1', [id]))[0]!.createdAt).toISOString();
  assert.equal(await runWasRequested(db, incidentId, await at(requested)), true);
  await new Promise((r) => setTimeout(r, 20));
  const later = `run-c${randomBytes(4).toString('hex')}-00000003`;
  await createRun(db, { id: later, incidentId, bundleSha256: null });
  assert.equal(await runWasRequested(db, incidentId, await at(later)), false, 'a later run was not asked for');
});
