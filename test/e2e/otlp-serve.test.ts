// An OpenTelemetry-only user: a service instrumented with the real OTel SDK exports to a running
// `tracefix serve`; the error span becomes an incident and its trace is kept for the evidence.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { dashboardAuthHeaders, TEST_DASHBOARD_TOKEN } from '../helpers/app.ts';
import { startCli } from '../helpers/cli.ts';
import { freePort } from '../helpers/redis-server.ts';

const run = promisify(execFile);
const APP = fileURLToPath(new URL('../helpers/otel-sdk-app.ts', import.meta.url));

for (const protocol of ['json', 'protobuf'] as const) {
  test(`an SDK exporting ${protocol} to tracefix serve raises one incident with its trace`, async (t) => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tracefix-otlp-e2e-'));
    t.after(() => fs.rm(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const cli = startCli(['serve'], {
      PORT: String(port),
      TRACEFIX_DATA_DIR: dataDir,
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      TRACEFIX_QUEUE_PREFIX: `e2e-otlp-${protocol}-${process.pid}-${Date.now()}`,
      TRACEFIX_OUTBOX_INTERVAL_MS: '100',
      TRACEFIX_DASHBOARD_TOKEN: TEST_DASHBOARD_TOKEN,
      TRACEFIX_OTLP_ALERTS: 'on',
      TRACEFIX_OTLP_ALERT_SERVICES: 'e2e-*',
      TRACEFIX_OTLP_TOKEN: 'otlp-token-e2e',
    });
    t.after(() => cli.child.kill('SIGKILL'));
    await cli.waitFor(/tracefix is serving/);
    const base = `http://127.0.0.1:${port}`;

    const { stdout } = await run(process.execPath, [APP, base, protocol, 'otlp-token-e2e'], { timeout: 60_000 });
    const { traceId } = JSON.parse(stdout.trim().split('\n').at(-1)!) as { traceId: string };

    const list = (await (await fetch(`${base}/api/incidents?source=otlp`, { headers: dashboardAuthHeaders() })).json()) as {
      items: { id: string; errorType: string; traceId: string; service: string; commitSha: string; alertCount: number }[];
    };
    assert.equal(list.items.length, 1, 'the span event and the exception log record are one failure');
    const [incident] = list.items;
    assert.equal(incident!.errorType, 'TypeError');
    assert.equal(incident!.traceId, traceId);
    assert.equal(incident!.service, 'e2e-shop');
    assert.equal(incident!.commitSha, '0123456789abcdef0123456789abcdef01234567');

    // The outbox → BullMQ → assemble worker chain runs inline in serve: the bundle appears.
    let bundle: Record<string, any> | undefined;
    for (let i = 0; i < 150 && !bundle; i++) {
      const res = await fetch(`${base}/api/incidents/${incident!.id}/bundle`, { headers: dashboardAuthHeaders() });
      if (res.status === 200) bundle = (await res.json()) as Record<string, any>;
      else await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(bundle, 'the bundle was assembled');
    assert.equal(bundle.trace.traceId, traceId);
    assert.equal(bundle.trace.errorSpan.name, 'cart.total');
    assert.ok(bundle.trace.ancestors.some((s: { name: string }) => s.name === 'POST /cart/:id/checkout'));
    assert.equal(bundle.exception.type, 'TypeError');
    assert.ok(bundle.logs.entries.length > 0 && bundle.logs.traceRecords > 0, 'logs of the trace are in the bundle');
    assert.equal(bundle.repo.commitSha, '0123456789abcdef0123456789abcdef01234567');

    const denied = await fetch(`${base}/v1/traces`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    assert.equal(denied.status, 401);
    cli.child.kill('SIGTERM');
    assert.equal(await cli.exited, 0);
  });
}
