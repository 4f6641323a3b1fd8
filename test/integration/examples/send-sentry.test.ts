// examples/tools/send-sentry.ts, the walkthrough's delivery script: run as a user runs it, against
// a listening tracefix app, with an example incident's real Sentry payload.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { buildTestApp, dashboardAuthHeaders, SECRETS } from '../../helpers/app.ts';
import { REPO_ROOT } from '../../helpers/cli.ts';

const run = promisify(execFile);
const SCRIPT = path.join(REPO_ROOT, 'examples/tools/send-sentry.ts');
const EVENT = path.join(REPO_ROOT, 'examples/checkout-js/incidents/gift-card-only-shipping/sentry.json');

test('send-sentry.ts delivers a signed event that tracefix accepts; a wrong secret is refused', async (t) => {
  const app = await buildTestApp(SECRETS);
  t.after(() => app.close());
  await app.app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.app.server.address() as { port: number }).port}/webhooks/sentry`;
  const env = { PATH: process.env.PATH ?? '', TRACEFIX_SENTRY_CLIENT_SECRET: SECRETS.TRACEFIX_SENTRY_CLIENT_SECRET };
  const { stdout } = await run(process.execPath, [SCRIPT, EVENT, url], { env });
  assert.match(stdout, /^202 /);
  const { incidentId } = JSON.parse(stdout.slice(4)) as { incidentId: string };
  const incident = (await app.app.inject({ method: 'GET', url: `/api/incidents/${incidentId}`, headers: dashboardAuthHeaders() })).json();
  assert.equal(incident.errorType, 'TypeError');
  assert.equal(incident.alerts[0].sourceRefs.project_slug, 'checkout-js', 'the project slug that maps the repository');
  await assert.rejects(run(process.execPath, [SCRIPT, EVENT, url], { env: { ...env, TRACEFIX_SENTRY_CLIENT_SECRET: 'wrong' } }), (error: { code?: number; stdout?: string }) => {
    assert.equal(error.code, 1);
    assert.match(error.stdout ?? '', /^401 /);
    return true;
  });
});
