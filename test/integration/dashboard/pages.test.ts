// The dashboard's pages over the real app and database (inject): filters, empty and error states,
// and that no telemetry text reaches the HTML unescaped.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ArtifactStore } from '../../../src/store/artifacts.ts';
import { recordFixMerged } from '../../../src/store/fix-merge-store.ts';
import { buildTestApp, dashboardAuthHeaders, SECRETS, type TestApp } from '../../helpers/app.ts';
import { seedIncident } from '../../helpers/dashboard-seed.ts';

let t: TestApp;
let dataDir: string;
const get = (url: string) => t.app.inject({ url, headers: dashboardAuthHeaders() });

before(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tracefix-pages-'));
  t = await buildTestApp(
    { ...SECRETS, TRACEFIX_DATA_DIR: dataDir, TRACEFIX_SERVICE_REPOS: JSON.stringify({ 'shop-api': 'acme/shop' }) },
    { deps: { artifacts: new ArtifactStore(dataDir) } },
  );
});
after(async () => {
  await t.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

test('the list is newest first and filters by status, source, service and repository', async () => {
  const empty = await get('/');
  assert.equal(empty.statusCode, 200);
  assert.match(empty.body, /No incidents yet/);
  const db = t.testDb.db;
  const old = await seedIncident(db, dataDir, { firstSeen: new Date(Date.now() - 60_000), service: 'shop-api' });
  const mid = await seedIncident(db, dataDir, { firstSeen: new Date(Date.now() - 30_000), service: 'billing', source: 'datadog', repoHint: 'acme/billing', noRun: true });
  const fresh = await seedIncident(db, dataDir, { service: 'shop-api', source: 'github', noRun: true });
  const order = (body: string) => [...body.matchAll(/id="row-(inc_[0-9a-z]+)"/g)].map((m) => m[1]);
  assert.deepEqual(order((await get('/')).body), [fresh.incidentId, mid.incidentId, old.incidentId]);
  assert.deepEqual(order((await get('/?service=billing')).body), [mid.incidentId]);
  assert.deepEqual(order((await get('/?source=github')).body), [fresh.incidentId]);
  assert.deepEqual(order((await get('/?status=fixed')).body), [old.incidentId]);
  // By repository: the repo hint, or the service's mapped repository (TRACEFIX_SERVICE_REPOS).
  assert.deepEqual(order((await get('/?repository=acme%2Fshop')).body), [fresh.incidentId, old.incidentId]);
  assert.deepEqual(order((await get('/?repository=acme%2Fbilling')).body), [mid.incidentId]);
  const none = await get('/?service=nothing-here');
  assert.deepEqual(order(none.body), []);
  assert.match(none.body, /No incident matches these filters/);
  // The event stream is opened with the same filters.
  assert.match(none.body, /sse-connect="\/events\?service=nothing-here"/);
});

test('an incident without evidence or run yet, an unknown one and a malformed id each get a page', async () => {
  const seeded = await seedIncident(t.testDb.db, dataDir, { noRun: true });
  await t.testDb.db.query('delete from bundles where incident_id = $1', [seeded.incidentId]);
  const page = await get(`/incidents/${seeded.incidentId}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /evidence bundle is being assembled/);
  assert.match(page.body, /No run yet/);
  const missing = await get('/incidents/inc_000000000aaaaaaaaaaaaaaaa');
  assert.equal(missing.statusCode, 404);
  assert.match(missing.body, /No such incident/);
  const bad = await get('/incidents/%3Cscript%3E');
  assert.equal(bad.statusCode, 400);
  assert.doesNotMatch(bad.body, /<script>/);
  assert.equal((await get('/?before=%3Cx%3E')).statusCode, 400);
});

test('hostile telemetry never reaches the HTML as markup', async () => {
  const hostile = `<img src=x onerror=alert(1)></script><script>alert(2)</script><a href="javascript:alert(3)">x</a>`;
  const s = await seedIncident(t.testDb.db, dataDir, { errorType: '<svg onload=alert(4)>', message: hostile, hostile, service: '<b>svc</b>' });
  for (const url of ['/', `/incidents/${s.incidentId}`]) {
    const body = (await get(url)).body;
    assert.doesNotMatch(body, /<img src=x|<script>alert|<svg onload|href="javascript:|<b>svc/i, url);
    assert.match(body, /&lt;img src=x onerror=alert\(/, url);
  }
});

test('the incident page shows the bisect result and the recurrence state, as text', async () => {
  const db = t.testDb.db;
  const sha = (c: string) => c.repeat(40);
  const found = await seedIncident(db, dataDir, {
    bisect: {
      status: 'found',
      bad: sha('b'),
      good: { sha: sha('a'), source: 'release', release: 'shop-api@1.4.0' },
      firstBad: { sha: sha('c'), subject: 'coupons: look codes up <b>lazily</b>', author: 'Dev <dev@example.com>', date: '2026-11-30T10:00:00+01:00' },
      rangeSize: 6,
      stepBound: 3,
      steps: [
        { sha: sha('a'), role: 'endpoint', verdict: 'good', durationMs: 900 },
        { sha: sha('c'), role: 'bisect', verdict: 'bad', reason: 'TypeError at applyCoupon', durationMs: 1100 },
      ],
      durationMs: 2400,
    },
  });
  const page = (await get(`/incidents/${found.incidentId}`)).body;
  const introduced = page.slice(page.indexOf('id="h-bisect"'), page.indexOf('</section>', page.indexOf('id="h-bisect"')));
  assert.match(introduced, /Introduced by<\/dt><dd><code title="c{40}">c{12}<\/code> coupons: look codes up &lt;b&gt;lazily&lt;\/b&gt;/);
  assert.match(introduced, /Dev &lt;dev@example.com&gt;/);
  assert.match(introduced, /<time datetime="2026-11-30T09:00:00.000Z">/);
  assert.match(introduced, /Searched 6 commit\(s\) from <code>a{12}<\/code> \(release shop-api@1.4.0, good\)/);
  assert.match(introduced, /Steps \(2\)/);
  assert.match(introduced, /TypeError at applyCoupon/);
  // No merged fix yet.
  assert.match(page, /No fix merged yet/);

  const none = await seedIncident(db, dataDir, { bisect: { status: 'predates-range', reason: 'failed at shop-api@1.3.0 too', steps: [], durationMs: 10 } });
  const nonePage = (await get(`/incidents/${none.incidentId}`)).body;
  assert.match(nonePage, /The failure predates the searched range[^<]*failed at shop-api@1.3.0 too/);
  const noBisect = await seedIncident(db, dataDir);
  assert.match((await get(`/incidents/${noBisect.incidentId}`)).body, /No bisect for this run/);

  // Merged: watching; then regressed by a later alert from a release with the fix.
  await recordFixMerged(db, found.incidentId, sha('d'), new Date('2026-12-01T00:00:00Z'));
  await db.query("update incidents set status = 'merged' where id = $1", [found.incidentId]);
  assert.match((await get(`/incidents/${found.incidentId}`)).body, /class="badge[^"]*">merged<\/span> Fix merged as <code>d{12}<\/code>[^]*No traffic from a release with the fix yet/);
  await db.query("update fix_merges set regressed_at = '2026-12-03T00:00:00Z', regression_alert_id = 42 where incident_id = $1", [found.incidentId]);
  await db.query("update incidents set status = 'regressed' where id = $1", [found.incidentId]);
  assert.match((await get(`/incidents/${found.incidentId}`)).body, />regressed<\/span> Fix merged as <code>d{12}<\/code>[^]*came back <time datetime="2026-12-03T00:00:00.000Z">[^]*\(alert 42\)/);
  await recordFixMerged(db, noBisect.incidentId, sha('e'), new Date('2026-12-01T00:00:00Z'));
  await db.query("update fix_merges set verified_at = '2026-12-09T00:00:00Z' where incident_id = $1", [noBisect.incidentId]);
  assert.match((await get(`/incidents/${noBisect.incidentId}`)).body, />verified<\/span> Fix merged as[^]*Verified <time[^]*7 day\(s\) of traffic/);
});
