// The real OpenTelemetry Node SDK, exporting over OTLP/HTTP (JSON, then protobuf) to a Fastify
// with the receiver plugin and the database trace store on PGlite.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, test } from 'node:test';
import Fastify from 'fastify';
import { otlpRoutes } from '../../../src/intake/otlp/plugin.ts';
import type { IntakeOutcome } from '../../../src/intake/types.ts';
import { DbTraceStore } from '../../../src/traces/db-trace-store.ts';
import { pgliteDb } from '../../helpers/databases.ts';

const run = promisify(execFile);
const APP = fileURLToPath(new URL('../../helpers/otel-sdk-app.ts', import.meta.url));
const TOKEN = 'e2e-token';

for (const protocol of ['json', 'protobuf'] as const) {
  describe(`NodeSDK → OTLP/HTTP ${protocol} → receiver → PGlite`, () => {
    test('the trace and its logs are stored and the exception becomes an Alert', async (t) => {
      const { db, drop } = await pgliteDb();
      t.after(drop);
      const store = new DbTraceStore(db);
      t.after(() => store.close());
      const outcomes: IntakeOutcome[] = [];
      const contentTypes: string[] = [];
      const app = Fastify();
      app.addHook('onRequest', async (request) => {
        contentTypes.push(`${request.url} ${request.headers['content-type']}`);
      });
      await app.register(otlpRoutes, {
        traceStore: store,
        config: { otlp: { token: TOKEN, bodyLimit: 16 * 1024 * 1024 } },
        alertRule: { enabled: true, services: ['e2e-*'], routes: [] },
        onAlerts: (o) => void outcomes.push(...o),
      });
      t.after(() => app.close());
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as AddressInfo;

      const { stdout } = await run(process.execPath, [APP, `http://127.0.0.1:${port}`, protocol, TOKEN], {
        env: { PATH: process.env.PATH ?? '' },
        timeout: 60_000,
      });
      const { traceId, spanId } = JSON.parse(stdout.trim().split('\n').at(-1)!) as { traceId: string; spanId: string };
      assert.match(traceId, /^[0-9a-f]{32}$/);
      const mediaType = protocol === 'json' ? 'application/json' : 'application/x-protobuf';
      assert.ok(contentTypes.includes(`/v1/traces ${mediaType}`), contentTypes.join(', '));
      assert.ok(contentTypes.includes(`/v1/logs ${mediaType}`), contentTypes.join(', '));

      const spans = await store.getTrace(traceId);
      assert.deepEqual(spans.map((s) => s.name).sort(), ['POST /cart/:id/checkout', 'cart.total']);
      const server = spans.find((s) => s.kind === 2)!;
      const failing = spans.find((s) => s.spanId === spanId)!;
      assert.equal(failing.parentSpanId, server.spanId);
      assert.equal(failing.statusCode, 2);
      assert.equal(failing.service, 'e2e-shop');
      assert.equal(failing.events[0]?.name, 'exception');
      assert.equal(failing.events[0]?.attributes['exception.type'], 'TypeError');

      const logs = await store.getLogs({ traceId, limit: 10 });
      assert.deepEqual(logs.map((l) => l.body).sort(), ['checkout failed', 'checkout request done']);
      const errorLog = logs.find((l) => l.body === 'checkout failed')!;
      assert.equal(errorLog.spanId, spanId);
      assert.equal(errorLog.eventName, 'exception');
      assert.equal(errorLog.severityNumber, 17);
      assert.equal((await store.getLogs({ service: 'e2e-shop', limit: 10 })).length, 2);

      // The span event and the log record describe one exception: one deliveryId, two outcomes
      // (acceptOutcome records the first and sees the second as a duplicate).
      const alerts = outcomes.flatMap((o) => (o.kind === 'alert' ? [o.alert] : []));
      assert.deepEqual(alerts.map((a) => a.kind).sort(), ['log.exception', 'span.exception']);
      for (const alert of alerts) {
        assert.equal(alert.deliveryId, `otlp:${traceId}:${spanId}`);
        assert.equal(alert.errorType, 'TypeError');
        assert.match(alert.message, /Cannot read properties of undefined \(reading 'items'\)/);
        assert.equal(alert.service, 'e2e-shop');
        assert.equal(alert.release, '3.1.0');
        assert.equal(alert.environment, 'e2e');
        assert.equal(alert.commitSha, '0123456789abcdef0123456789abcdef01234567');
        assert.equal(alert.repoHint, 'https://github.com/acme/e2e-shop');
        const top = alert.frames.at(-1)!;
        assert.equal(top.function, 'totalPrice');
        assert.match(top.absPath ?? top.file ?? '', /otel-sdk-app\.ts$/);
      }
      assert.equal(alerts.find((a) => a.kind === 'span.exception')?.tags['http.route'], '/cart/:id/checkout');
    });
  });
}
