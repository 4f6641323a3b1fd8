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
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
      TRACEFIX_OTLP_ALERTS: 'on',
      TRACEFIX_OTLP_ALERT_SERVICES: 'e2e-*',
      TRACEFIX_OTLP_TOKEN: 'otlp-token-e2e',
    });
    t.after(() => cli.child.kill('SIGKILL'));
    await cli.waitFor(/tracefix is serving/);
    const base = `http://127.0.0.1:${port}`;

    const { stdout } = await run(process.execPath, [APP, base, protocol, 'otlp-token-e2e'], { timeout: 60_000 });
    const { traceId } = JSON.parse(stdout.trim().split('\n').at(-1)!) as { traceId: string };

    const list = (await (await fetch(`${base}/api/incidents?source=otlp`)).json()) as {
      items: { id: string; errorType: string; traceId: string; service: string; commitSha: string; alertCount: number }[];
    };
    assert.equal(list.items.length, 1, 'the span event and the exception log record are one failure');
    const [incident] = list.items;
    assert.equal(incident!.errorType, 'TypeError');
    assert.equal(incident!.traceId, traceId);
    assert.equal(incident!.service, 'e2e-shop');
    assert.equal(incident!.commitSha, '0123456789abcdef0123456789abcdef01234567');

    const denied = await fetch(`${base}/v1/traces`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    assert.equal(denied.status, 401);
    cli.child.kill('SIGTERM');
    assert.equal(await cli.exited, 0);
  });
}
