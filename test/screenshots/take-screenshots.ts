// `npm run screenshots`: regenerates docs/screenshots/*.png (shown in the README) from a live
// dashboard on seeded data: the incident list on a laptop and a phone, and one incident page.
// Needs Redis (REDIS_URL or 127.0.0.1:6379) and /usr/bin/chromium, like the browser tests.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { newRunId } from '../../src/run/run-incident.ts';
import { createRun, failRun } from '../../src/store/run-store.ts';
import { launchChromium, signIn, startDashboard } from '../helpers/browser.ts';
import { seedIncident } from '../helpers/dashboard-seed.ts';

const OUT = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

const s = await startDashboard();
const browser = await launchChromium();
try {
  const db = s.t.testDb.db;
  const minutes = (n: number) => new Date(Date.now() - n * 60_000);
  await seedIncident(db, s.dataDir, { firstSeen: minutes(240), service: 'billing', errorType: 'KeyError', message: "'price'", source: 'datadog', noRun: true });
  const failed = await seedIncident(db, s.dataDir, { firstSeen: minutes(95), service: 'invoices', errorType: 'RangeError', message: 'Invalid time value', source: 'otlp', noRun: true });
  const runId = newRunId(failed.incidentId);
  await createRun(db, { id: runId, incidentId: failed.incidentId, bundleSha256: null });
  await failRun(db, runId, 'no repository is mapped for service invoices (TRACEFIX_SERVICE_REPOS)');
  await db.query("update incidents set status = 'failed' where id = $1", [failed.incidentId]);
  const main = await seedIncident(db, s.dataDir, { firstSeen: minutes(12), service: 'shop-api' });
  await seedIncident(db, s.dataDir, { firstSeen: minutes(2), service: 'shop-api', errorType: 'TypeError', message: "Cannot read properties of null (reading 'items')", source: 'github', noRun: true });

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await signIn(page, s.base);
  await page.screenshot({ path: path.join(OUT, 'incidents.png') });
  await page.goto(`${s.base}/incidents/${main.incidentId}`);
  await page.locator('table.diff').first().waitFor();
  await page.screenshot({ path: path.join(OUT, 'incident.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${s.base}/`);
  await page.screenshot({ path: path.join(OUT, 'incidents-phone.png') });
  await context.close();
  process.stdout.write(`wrote ${['incidents.png', 'incident.png', 'incidents-phone.png'].map((f) => path.join(OUT, f)).join(', ')}\n`);
} finally {
  await browser.close();
  await s.close();
}
